// A pattern chunk made ready for the automaton: which static run of it is the anchor fed to
// Aho-Corasick, and how far the chunk can reach on each side of that anchor (the window a stream
// scanner must keep to verify a hit).

import type { PatternChunk, PatternElement } from '../signatures/signature-types.js';

/** Longer anchors make no fewer false hits worth the extra automaton states. */
const MAX_ANCHOR = 16;

export interface CompiledChunk {
  readonly elements: readonly PatternElement[];
  readonly minGapBefore: number;
  readonly anchor: Uint8Array;
  /** The fixed element holding the anchor, and where in it the anchor starts. */
  readonly anchorElement: number;
  readonly anchorOffset: number;
  /** Bytes from the chunk's start to the anchor's start (least and most). */
  readonly leftMin: number;
  readonly leftMax: number;
  /** Bytes from the anchor's start to the chunk's end (most). */
  readonly rightMax: number;
}

export function compileChunk(chunk: PatternChunk): CompiledChunk {
  const { elements } = chunk;
  let best = { element: -1, offset: 0, length: 0 };
  elements.forEach((element, index) => {
    if (element.kind !== 'fixed') return;
    let run = 0;
    for (let k = 0; k <= element.mask.length; k++) {
      if (k < element.mask.length && element.mask[k] === 0xff) {
        run++;
        continue;
      }
      if (run > best.length) best = { element: index, offset: k - run, length: run };
      run = 0;
    }
  });
  // The parser guarantees a static run in every chunk; this only guards the invariant.
  if (best.element < 0) throw new Error('a pattern chunk without a static byte reached the compiler');
  const holder = elements[best.element]!;
  if (holder.kind !== 'fixed') throw new Error('the anchor must sit in a fixed element');
  const length = Math.min(best.length, MAX_ANCHOR);
  const before = elements.slice(0, best.element);
  const after = elements.slice(best.element + 1);
  return {
    elements,
    minGapBefore: chunk.minGapBefore,
    anchor: holder.value.slice(best.offset, best.offset + length),
    anchorElement: best.element,
    anchorOffset: best.offset,
    leftMin: sum(before, minLength) + best.offset,
    leftMax: sum(before, maxLength) + best.offset,
    rightMax: holder.value.length - best.offset + sum(after, maxLength),
  };
}

function minLength(element: PatternElement): number {
  if (element.kind === 'fixed') return element.value.length;
  if (element.kind === 'gap') return element.min;
  return element.negated ? 1 : Math.min(...element.options.map((o) => o.length));
}

function maxLength(element: PatternElement): number {
  if (element.kind === 'fixed') return element.value.length;
  if (element.kind === 'gap') return element.max;
  return element.negated ? 1 : Math.max(...element.options.map((o) => o.length));
}

function sum(elements: readonly PatternElement[], length: (element: PatternElement) => number): number {
  return elements.reduce((total, element) => total + length(element), 0);
}
