// Scans one stream, chunk by chunk, against a compiled database with bounded memory. The automaton runs
// over each chunk once (its state carries across chunks); anchor hits are queued and verified, in
// order, as soon as the bytes their pattern can reach are at hand (a TailBuffer keeps the history a
// hit straddling two chunks needs). Hashes are computed while the data passes; EOF-anchored patterns,
// hash and logical signatures are decided at finish(), when the size is known.

import { createHash, type Hash } from 'node:crypto';
import type { HashAlgorithm } from '../signatures/signature-types.js';
import { HitBuffer, type AutomatonCursor } from './aho-corasick.js';
import type { BodyRule, CompiledDatabase } from './compiled-database.js';
import { evaluateLogical } from './logical-evaluation.js';
import { earliestEnd, fixedAt, matchBackward, type ByteView } from './pattern-verifier.js';
import { TailBuffer } from './tail-buffer.js';

/** clamscan reports nothing in files of 5 bytes or fewer; Strata agrees. */
export const SMALLEST_SCANNED_SIZE = 6;

export type DetectionKind = 'body' | 'logical' | 'hash' | 'limits';

export interface Detection {
  /** The signature name, as clamscan prints it (without ".UNOFFICIAL"). */
  readonly name: string;
  readonly kind: DetectionKind;
}

export interface SessionOptions {
  /** The stream's size when known in advance: lets the session skip digests no signature needs. */
  readonly knownSize?: number;
  /** The offset of the first byte fed (a write in the middle of a file): offsets then stay file offsets. */
  readonly startOffset?: number;
}

interface PendingHit {
  readonly rule: number;
  readonly chunk: number;
  readonly anchorStart: number;
  /** The absolute offset up to which bytes must be at hand to verify it. */
  readonly need: number;
}

/** How far a multi-chunk (`*`) pattern has come: the next chunk needed and where it may start. */
interface Progress {
  next: number;
  minStart: number;
}

export class ScanSession {
  private position = 0;
  private readonly cursor: AutomatonCursor = { state: 0 };
  private readonly hits = new HitBuffer(1024);
  private readonly tail: TailBuffer;
  private pending: PendingHit[] = [];
  private pendingHead = 0;
  private readonly progress = new Map<number, Progress>();
  private readonly counts = new Map<number, number>();
  private readonly hashers: Array<{ algorithm: HashAlgorithm; hash: Hash }>;
  private detection: Detection | null = null;
  private finished = false;

  constructor(private readonly db: CompiledDatabase, options: SessionOptions = {}) {
    this.tail = new TailBuffer(Math.max(db.historyNeeded, db.tailNeeded));
    this.position = options.startOffset ?? 0;
    const size = options.knownSize !== undefined && options.knownSize >= SMALLEST_SCANNED_SIZE ? options.knownSize : null;
    const algorithms = options.knownSize !== undefined && size === null ? [] : db.hashes.algorithmsFor(size);
    this.hashers = algorithms.map((algorithm) => ({ algorithm, hash: createHash(algorithm) }));
  }

  /** Bytes fed so far. */
  get size(): number {
    return this.position;
  }

  /** Bytes of the stream held in memory (the verification window): bounded by the database, not the stream. */
  get retainedBytes(): number {
    return this.tail.length;
  }

  /** Scans the next bytes of the stream; returns a detection as soon as one is certain. */
  feed(chunk: Uint8Array): Detection | null {
    if (this.finished) throw new Error('feed() after finish()');
    if (chunk.length === 0 || this.detection !== null) {
      this.position += chunk.length;
      return this.reportable();
    }
    for (const { hash } of this.hashers) hash.update(chunk);
    const base = this.position;
    let joined: ByteView | null = null;
    const viewFor = (from: number): ByteView => {
      if (from >= base) return { bytes: chunk, base };
      return (joined ??= this.tail.joinedWith(chunk, Math.min(chunk.length, this.tail.capacity), base));
    };
    this.db.automaton.scan(chunk, 0, chunk.length, this.cursor, this.hits);
    this.collectHits(base);
    this.verifyPending(base + chunk.length, viewFor);
    this.position += chunk.length;
    this.tail.append(chunk);
    return this.reportable();
  }

  /** The stream has ended: the final verdict (null when clean). */
  finish(): Detection | null {
    if (this.finished) return this.detection;
    this.finished = true;
    const view = this.tail.view(this.position);
    this.verifyPending(Infinity, () => view);
    if (this.position < SMALLEST_SCANNED_SIZE) return (this.detection = null);
    // clamscan's order: body patterns (EOF-anchored ones too), then hashes, then logical signatures.
    if (this.detection === null) this.checkEofRules(view);
    if (this.detection === null) this.checkHashes();
    if (this.detection === null) this.checkLogicals();
    return this.detection;
  }

  private reportable(): Detection | null {
    return this.position >= SMALLEST_SCANNED_SIZE ? this.detection : null;
  }

  private collectHits(base: number): void {
    const { pairs } = this.hits;
    const { automaton, anchorRefs, anchorLengths } = this.db;
    for (let k = 0; k < this.hits.count; k++) {
      const state = pairs[2 * k]!;
      const end = base + pairs[2 * k + 1]!;
      automaton.patternsAt(state, (pattern) => {
        const anchorStart = end - anchorLengths[pattern]! + 1;
        for (const ref of anchorRefs[pattern]!) this.consider(ref.rule, ref.chunk, anchorStart);
      });
    }
    this.hits.count = 0;
  }

  /** Queues a hit unless it cannot lead anywhere (its signature already decided, or out of its offset range). */
  private consider(ruleIndex: number, chunkIndex: number, anchorStart: number): void {
    const rule = this.db.rules[ruleIndex]!;
    const chunk = rule.chunks[chunkIndex]!;
    if (chunkIndex === 0 && rule.offset.kind === 'absolute') {
      const { start, shift } = rule.offset;
      if (anchorStart - chunk.leftMin < start || anchorStart - chunk.leftMax > start + shift) return;
    }
    this.pending.push({ rule: ruleIndex, chunk: chunkIndex, anchorStart, need: anchorStart + chunk.rightMax });
  }

  /** Verifies queued hits in order while the bytes each needs are at hand (below `available`). */
  private verifyPending(available: number, viewFor: (from: number) => ByteView): void {
    const queue = this.pending;
    while (this.pendingHead < queue.length && this.detection === null) {
      const hit = queue[this.pendingHead]!;
      if (hit.need > available) break;
      this.pendingHead++;
      const chunk = this.db.rules[hit.rule]!.chunks[hit.chunk]!;
      this.verify(hit, viewFor(hit.anchorStart - chunk.leftMax));
    }
    if (available !== Infinity) this.tryEarly(available, viewFor);
    if (this.pendingHead === queue.length || this.detection !== null) {
      this.pending = [];
      this.pendingHead = 0;
    } else if (this.pendingHead > 1024) {
      this.pending = queue.slice(this.pendingHead);
      this.pendingHead = 0;
    }
  }

  /**
   * A hit still waiting for lookahead may already match with the bytes at hand (a {0-1000} gap closed
   * early): bytes beyond the view never match, so a success is certain. Tried for plain .ndb patterns,
   * whose verification has no side effects, so that the write carrying a signature's end is the one refused.
   */
  private tryEarly(available: number, viewFor: (from: number) => ByteView): void {
    const queue = this.pending;
    for (let i = this.pendingHead; i < queue.length && this.detection === null; i++) {
      const hit = queue[i]!;
      const rule = this.db.rules[hit.rule]!;
      if (rule.logical >= 0 || rule.chunks.length > 1 || hit.need <= available) continue;
      this.verify(hit, viewFor(hit.anchorStart - rule.chunks[0]!.leftMax));
    }
  }

  private verify(hit: PendingHit, view: ByteView): void {
    const rule = this.db.rules[hit.rule]!;
    const chunk = rule.chunks[hit.chunk]!;
    const multi = rule.chunks.length > 1;
    const progress = multi ? this.progressOf(hit.rule) : null;
    // A later chunk only counts once the ones before it matched; the previous one may still end earlier.
    const improving = progress !== null && hit.chunk === progress.next - 1;
    if (progress !== null && hit.chunk !== progress.next && !improving) return;

    const elementStart = hit.anchorStart - chunk.anchorOffset;
    const holder = chunk.elements[chunk.anchorElement]!;
    if (holder.kind !== 'fixed' || !fixedAt(holder, view, elementStart)) return;
    const end = earliestEnd(chunk.elements, chunk.anchorElement + 1, elementStart + holder.value.length, view);
    if (end < 0) return;
    const minStart = progress !== null && !improving ? progress.minStart : 0;
    const offset = hit.chunk === 0 && rule.offset.kind === 'absolute' ? rule.offset : null;
    const startFits = (start: number): boolean =>
      start >= minStart && (offset === null || (start >= offset.start && start <= offset.start + offset.shift));
    if (!matchBackward(chunk.elements, chunk.anchorElement, elementStart, view, startFits)) return;

    if (improving) {
      progress.minStart = Math.min(progress.minStart, end + rule.chunks[progress.next]!.minGapBefore);
      return;
    }
    if (progress !== null && hit.chunk < rule.chunks.length - 1) {
      progress.next = hit.chunk + 1;
      progress.minStart = end + rule.chunks[hit.chunk + 1]!.minGapBefore;
      return;
    }
    if (progress !== null) {
      progress.next = 0;
      progress.minStart = end;
    }
    this.ruleMatched(rule, true);
  }

  private progressOf(rule: number): Progress {
    let progress = this.progress.get(rule);
    if (progress === undefined) this.progress.set(rule, (progress = { next: 0, minStart: 0 }));
    return progress;
  }

  private ruleMatched(rule: BodyRule, streaming: boolean): void {
    if (rule.logical < 0) {
      this.detection ??= { name: rule.name, kind: 'body' };
      return;
    }
    this.counts.set(rule.index, (this.counts.get(rule.index) ?? 0) + 1);
    const logical = this.db.logicals[rule.logical]!;
    if (streaming && logical.monotone && this.logicalHolds(rule.logical, null)) this.detection ??= { name: logical.name, kind: 'logical' };
  }

  private logicalHolds(index: number, size: number | null): boolean {
    const logical = this.db.logicals[index]!;
    if (logical.fileSize !== null && (size === null || size < logical.fileSize.min || size > logical.fileSize.max)) return false;
    return evaluateLogical(logical.expression, (sub) => this.counts.get(logical.rules[sub]!) ?? 0);
  }

  private checkLogicals(): void {
    for (let index = 0; index < this.db.logicals.length && this.detection === null; index++) {
      if (this.logicalHolds(index, this.position)) this.detection = { name: this.db.logicals[index]!.name, kind: 'logical' };
    }
  }

  private checkHashes(): void {
    for (const { algorithm, hash } of this.hashers) {
      const name = this.db.hashes.lookup(algorithm, hash.digest('hex'), this.position);
      if (name !== null) {
        this.detection = { name, kind: 'hash' };
        return;
      }
    }
  }

  /** EOF-n patterns: their start is known now, so each candidate is matched in place on the kept tail. */
  private checkEofRules(view: ByteView): void {
    this.db.eofIndex.candidates(this.position, view, (rule, start) => {
      if (this.detection === null && matchesFrom(rule, start, view)) this.ruleMatched(rule, false);
    });
  }
}

/** Whether `rule` matches starting exactly at `start`, its later chunks anywhere after (within `view`). */
function matchesFrom(rule: BodyRule, start: number, view: ByteView): boolean {
  let pos = earliestEnd(rule.chunks[0]!.elements, 0, start, view);
  for (let c = 1; c < rule.chunks.length && pos >= 0; c++) {
    const chunk = rule.chunks[c]!;
    let found = -1;
    for (let from = pos + chunk.minGapBefore; from < view.base + view.bytes.length && found < 0; from++) {
      found = earliestEnd(chunk.elements, 0, from, view);
    }
    pos = found;
  }
  return pos >= 0;
}
