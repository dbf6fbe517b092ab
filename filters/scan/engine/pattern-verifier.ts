// Verifies a pattern chunk around an anchor hit: the element holding the anchor is checked in place,
// then the elements to its right are matched forward and those to its left backward, trying each
// length a bounded gap or an alternative allows. Positions are absolute stream offsets; a ByteView maps
// them onto whatever bytes are at hand (a chunk, or history plus a chunk).

import type { FixedElement, PatternElement } from '../signatures/signature-types.js';

export interface ByteView {
  readonly bytes: Uint8Array;
  /** The absolute offset of bytes[0]. */
  readonly base: number;
}

/** Tries each way elements[from..] can match starting at `pos`; stops when `onEnd(end)` returns true. */
export function matchForward(elements: readonly PatternElement[], from: number, pos: number, view: ByteView, onEnd: (end: number) => boolean): boolean {
  if (from === elements.length) return onEnd(pos);
  const element = elements[from]!;
  switch (element.kind) {
    case 'fixed':
      return fixedAt(element, view, pos) && matchForward(elements, from + 1, pos + element.value.length, view, onEnd);
    case 'alt':
      if (element.negated) return byteNotIn(element.options, view, pos) && matchForward(elements, from + 1, pos + 1, view, onEnd);
      for (const option of element.options) {
        if (bytesAt(option, view, pos) && matchForward(elements, from + 1, pos + option.length, view, onEnd)) return true;
      }
      return false;
    case 'gap':
      for (let gap = element.min; gap <= element.max; gap++) {
        if (matchForward(elements, from + 1, pos + gap, view, onEnd)) return true;
      }
      return false;
  }
}

/** Tries each way elements[0..to) can match ending at `pos`; stops when `onStart(start)` returns true. */
export function matchBackward(elements: readonly PatternElement[], to: number, pos: number, view: ByteView, onStart: (start: number) => boolean): boolean {
  if (to === 0) return onStart(pos);
  const element = elements[to - 1]!;
  switch (element.kind) {
    case 'fixed': {
      const start = pos - element.value.length;
      return fixedAt(element, view, start) && matchBackward(elements, to - 1, start, view, onStart);
    }
    case 'alt':
      if (element.negated) return byteNotIn(element.options, view, pos - 1) && matchBackward(elements, to - 1, pos - 1, view, onStart);
      for (const option of element.options) {
        const start = pos - option.length;
        if (bytesAt(option, view, start) && matchBackward(elements, to - 1, start, view, onStart)) return true;
      }
      return false;
    case 'gap':
      for (let gap = element.min; gap <= element.max; gap++) {
        if (matchBackward(elements, to - 1, pos - gap, view, onStart)) return true;
      }
      return false;
  }
}

/** The smallest end at which elements[from..] match from `pos`, or -1. */
export function earliestEnd(elements: readonly PatternElement[], from: number, pos: number, view: ByteView): number {
  let best = -1;
  matchForward(elements, from, pos, view, (end) => {
    if (best < 0 || end < best) best = end;
    return false;
  });
  return best;
}

export function fixedAt(element: FixedElement, view: ByteView, pos: number): boolean {
  const { value, mask } = element;
  const start = pos - view.base;
  const bytes = view.bytes;
  if (start < 0 || start + value.length > bytes.length) return false;
  for (let k = 0; k < value.length; k++) {
    if ((bytes[start + k]! & mask[k]!) !== value[k]) return false;
  }
  return true;
}

function bytesAt(option: Uint8Array, view: ByteView, pos: number): boolean {
  const start = pos - view.base;
  if (start < 0 || start + option.length > view.bytes.length) return false;
  for (let k = 0; k < option.length; k++) if (view.bytes[start + k] !== option[k]) return false;
  return true;
}

function byteNotIn(options: readonly Uint8Array[], view: ByteView, pos: number): boolean {
  const index = pos - view.base;
  if (index < 0 || index >= view.bytes.length) return false;
  const b = view.bytes[index];
  return options.every((option) => option[0] !== b);
}
