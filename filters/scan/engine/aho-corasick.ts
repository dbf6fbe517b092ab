// The multi-pattern automaton: Aho-Corasick over the static anchors of every body signature. States are
// numbered breadth-first, so the shallow ones (where a scan of ordinary data spends nearly all its time)
// get full 256-entry DFA rows; deeper states keep sorted sparse edges plus a failure link. That keeps
// memory linear in the anchors' total length, so 100,000 signatures build in well under a second.

/** Rows are dense up to this depth when they fit under DENSE_ROW_BUDGET rows. */
const MAX_DENSE_DEPTH = 2;
const DENSE_ROW_BUDGET = 8192;

/** Where the automaton stands between two calls: carry it across a stream's chunks. */
export interface AutomatonCursor {
  state: number;
}

/** Hits found by scan(): (state, index) pairs; the patterns of a state come from patternsAt(). */
export class HitBuffer {
  readonly pairs: Int32Array;
  count = 0;
  constructor(capacity = 4096) {
    this.pairs = new Int32Array(capacity * 2);
  }
  get full(): boolean {
    return this.count * 2 >= this.pairs.length;
  }
}

export class AhoCorasick {
  private constructor(
    private readonly denseRows: number,
    private readonly dense: Int32Array,
    private readonly fail: Int32Array,
    private readonly edgeStart: Int32Array,
    private readonly edgeCount: Uint16Array,
    private readonly edgeByte: Uint8Array,
    private readonly edgeTarget: Int32Array,
    /** The pattern ending exactly at a state, or -1. */
    private readonly ownPattern: Int32Array,
    /** The nearest state on the failure chain (itself included) that ends a pattern, or -1. */
    private readonly outLink: Int32Array,
    readonly stateCount: number,
  ) {}

  /** Builds the automaton; pattern i of `patterns` is reported as i. Patterns must be distinct and non-empty. */
  static build(patterns: readonly Uint8Array[]): AhoCorasick {
    const order = patterns.map((_, index) => index).sort((a, b) => Buffer.compare(patterns[a]!, patterns[b]!));
    const maxStates = patterns.reduce((sum, p) => sum + p.length, 0) + 1;
    const edgeStart = new Int32Array(maxStates);
    const edgeCount = new Uint16Array(maxStates);
    const edgeByte = new Uint8Array(maxStates);
    const edgeTarget = new Int32Array(maxStates);
    const ownPattern = new Int32Array(maxStates).fill(-1);
    const depth = new Int32Array(maxStates);
    // The trie, breadth-first over ranges of the sorted patterns that share a prefix.
    const queueLo = new Int32Array(maxStates);
    const queueHi = new Int32Array(maxStates);
    queueLo[0] = 0;
    queueHi[0] = order.length;
    let states = 1;
    let edges = 0;
    for (let s = 0; s < states; s++) {
      const d = depth[s]!;
      let i = queueLo[s]!;
      const hi = queueHi[s]!;
      while (i < hi && patterns[order[i]!]!.length === d) ownPattern[s] = order[i++]!;
      edgeStart[s] = edges;
      while (i < hi) {
        const b = patterns[order[i]!]![d]!;
        let j = i + 1;
        while (j < hi && patterns[order[j]!]![d] === b) j++;
        const child = states++;
        depth[child] = d + 1;
        queueLo[child] = i;
        queueHi[child] = j;
        edgeByte[edges] = b;
        edgeTarget[edges++] = child;
        edgeCount[s]++;
        i = j;
      }
    }
    const denseRows = denseRowCount(depth, states);
    const dense = new Int32Array(denseRows * 256);
    const fail = new Int32Array(states);
    const automaton = new AhoCorasick(denseRows, dense, fail, edgeStart, edgeCount, edgeByte, edgeTarget, ownPattern, new Int32Array(states).fill(-1), states);
    automaton.link();
    return automaton;
  }

  /** Failure links, dense rows and output links, in breadth-first order (each needs only shallower states). */
  private link(): void {
    const { denseRows, dense, fail, edgeStart, edgeCount, edgeByte, edgeTarget, ownPattern, outLink } = this;
    for (let s = 0; s < this.stateCount; s++) {
      if (s < denseRows) {
        const row = s << 8;
        const fallback = (fail[s]! << 8);
        for (let b = 0; b < 256; b++) dense[row | b] = s === 0 ? 0 : dense[fallback | b]!;
        for (let k = edgeStart[s]!, end = k + edgeCount[s]!; k < end; k++) dense[row | edgeByte[k]!] = edgeTarget[k]!;
      }
      for (let k = edgeStart[s]!, end = k + edgeCount[s]!; k < end; k++) {
        const child = edgeTarget[k]!;
        fail[child] = s === 0 ? 0 : this.step(fail[s]!, edgeByte[k]!);
      }
      outLink[s] = ownPattern[s]! >= 0 ? s : s === 0 ? -1 : outLink[fail[s]!]!;
    }
  }

  /** The transition from `state` on byte `b` (the DFA's delta function). */
  private step(state: number, b: number): number {
    let s = state;
    for (;;) {
      if (s < this.denseRows) return this.dense[(s << 8) | b]!;
      const child = this.child(s, b);
      if (child >= 0) return child;
      s = this.fail[s]!;
    }
  }

  private child(s: number, b: number): number {
    const { edgeByte, edgeTarget } = this;
    for (let k = this.edgeStart[s]!, end = k + this.edgeCount[s]!; k < end; k++) {
      const e = edgeByte[k]!;
      if (e === b) return edgeTarget[k]!;
      if (e > b) break;
    }
    return -1;
  }

  /**
   * Runs bytes[from, to) through the automaton from cursor.state, recording a (state, index) pair for
   * every index where some pattern ends. Returns the index it stopped at: `to`, or earlier when `hits`
   * filled up (drain it and call again from there).
   */
  scan(bytes: Uint8Array, from: number, to: number, cursor: AutomatonCursor, hits: HitBuffer): number {
    const { denseRows, dense, fail, edgeStart, edgeCount, edgeByte, edgeTarget, outLink } = this;
    const pairs = hits.pairs;
    const capacity = pairs.length;
    let h = hits.count * 2;
    let s = cursor.state;
    let i = from;
    while (i < to) {
      const b = bytes[i]!;
      if (s < denseRows) {
        s = dense[(s << 8) | b]!;
      } else {
        for (;;) {
          let next = -1;
          for (let k = edgeStart[s]!, end = k + edgeCount[s]!; k < end; k++) {
            const e = edgeByte[k]!;
            if (e === b) {
              next = edgeTarget[k]!;
              break;
            }
            if (e > b) break;
          }
          if (next >= 0) {
            s = next;
            break;
          }
          s = fail[s]!;
          if (s < denseRows) {
            s = dense[(s << 8) | b]!;
            break;
          }
        }
      }
      i++;
      if (outLink[s]! >= 0) {
        pairs[h++] = s;
        pairs[h++] = i - 1;
        if (h >= capacity) break;
      }
    }
    hits.count = h >> 1;
    cursor.state = s;
    return i;
  }

  /** Calls `visit` with every pattern that ends at `state` (longest first). */
  patternsAt(state: number, visit: (pattern: number) => void): void {
    let s = this.outLink[state]!;
    while (s >= 0) {
      visit(this.ownPattern[s]!);
      s = s === 0 ? -1 : this.outLink[this.fail[s]!]!;
    }
  }
}

function denseRowCount(depth: Int32Array, states: number): number {
  let rows = 1;
  for (let d = 1; d <= MAX_DENSE_DEPTH; d++) {
    let end = rows;
    while (end < states && depth[end] === d) end++;
    if (end > DENSE_ROW_BUDGET) break;
    rows = end;
  }
  return rows;
}
