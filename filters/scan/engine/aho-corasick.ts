// The multi-pattern automaton: Aho-Corasick over the static anchors of every body signature. States are
// numbered breadth-first, so the shallow ones (where a scan of ordinary data spends nearly all its time)
// get full 256-entry DFA rows; deeper states keep sorted sparse edges plus a failure link. That keeps
// memory linear in the anchors' total length, so 100,000 signatures build in well under a second.

/** Rows are dense up to this depth (the root and its children: 257 rows, 257 KiB, cache-friendly). */
const MAX_DENSE_DEPTH = 1;
const DENSE_ROW_BUDGET = 8192;
/** Interleaved lanes per scan, and the shortest lane worth splitting for. */
const LANES = 4;
const MIN_LANE = 4096;

/** Where the automaton stands between two calls: carry it across a stream's chunks. */
export interface AutomatonCursor {
  state: number;
}

/** Hits found by scan(): (state, index) pairs in index order; the patterns of a state come from patternsAt(). */
export class HitBuffer {
  pairs: Int32Array;
  count = 0;
  constructor(capacity = 1024) {
    this.pairs = new Int32Array(capacity * 2);
  }
  push(state: number, index: number): void {
    if (this.count * 2 >= this.pairs.length) {
      const grown = new Int32Array(this.pairs.length * 2);
      grown.set(this.pairs);
      this.pairs = grown;
    }
    this.pairs[this.count * 2] = state;
    this.pairs[this.count * 2 + 1] = index;
    this.count++;
  }
  /** Lanes report out of order: put the hits back in index order. */
  sortByIndex(from: number): void {
    if (this.count - from < 2) return;
    const order = Array.from({ length: this.count - from }, (_, k) => from + k).sort((a, b) => this.pairs[2 * a + 1]! - this.pairs[2 * b + 1]!);
    const copy = this.pairs.slice(2 * from, 2 * this.count);
    order.forEach((k, position) => {
      this.pairs[2 * (from + position)] = copy[2 * (k - from)]!;
      this.pairs[2 * (from + position) + 1] = copy[2 * (k - from) + 1]!;
    });
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
    /** The longest pattern: the automaton's state depends on no more bytes than this. */
    private readonly maxDepth: number,
  ) {}

  /**
   * Builds the automaton; pattern i of `patterns` is reported as i. Patterns must be distinct and
   * non-empty. `keys` (each pattern as a latin1 string, which sorts in byte order) spare the sort a
   * native call per comparison when the caller has them already.
   */
  static build(patterns: readonly Uint8Array[], keys: readonly string[] = patterns.map((p) => Buffer.from(p).toString('latin1'))): AhoCorasick {
    const order = patterns.map((_, index) => index).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
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
    const maxDepth = patterns.reduce((most, p) => Math.max(most, p.length), 0);
    const automaton = new AhoCorasick(denseRows, dense, fail, edgeStart, edgeCount, edgeByte, edgeTarget, ownPattern, new Int32Array(states).fill(-1), states, maxDepth);
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
    return state < this.denseRows ? this.dense[(state << 8) | b]! : this.deepStep(state, b);
  }

  /**
   * Runs bytes[from, to) through the automaton from cursor.state, recording a (state, index) pair for
   * every index where some pattern ends, in index order.
   *
   * A DFA scan is a chain of dependent table loads, so it runs at memory latency, not bandwidth. Long
   * runs are therefore split into LANES interleaved lanes: four independent chains the CPU overlaps.
   * A lane's starting state needs no handover: the automaton's state depends only on the last
   * maxDepth bytes, so each lane warms up from the root over the maxDepth bytes before its start.
   */
  scan(bytes: Uint8Array, from: number, to: number, cursor: AutomatonCursor, hits: HitBuffer): void {
    const lane = Math.floor((to - from) / LANES);
    if (lane < MIN_LANE) {
      cursor.state = this.scanOne(bytes, from, to, cursor.state, hits);
      return;
    }
    const { denseRows, dense, outLink } = this;
    const first = hits.count;
    const b1 = from + lane;
    const b2 = b1 + lane;
    const b3 = b2 + lane;
    let s0 = cursor.state;
    let s1 = this.warmUp(bytes, b1);
    let s2 = this.warmUp(bytes, b2);
    let s3 = this.warmUp(bytes, b3);
    for (let i = 0; i < lane; i++) {
      const c0 = bytes[from + i]!;
      const c1 = bytes[b1 + i]!;
      const c2 = bytes[b2 + i]!;
      const c3 = bytes[b3 + i]!;
      s0 = s0 < denseRows ? dense[(s0 << 8) | c0]! : this.deepStep(s0, c0);
      s1 = s1 < denseRows ? dense[(s1 << 8) | c1]! : this.deepStep(s1, c1);
      s2 = s2 < denseRows ? dense[(s2 << 8) | c2]! : this.deepStep(s2, c2);
      s3 = s3 < denseRows ? dense[(s3 << 8) | c3]! : this.deepStep(s3, c3);
      // The sign bit survives the AND only if every lane is at a state without output.
      if ((outLink[s0]! & outLink[s1]! & outLink[s2]! & outLink[s3]!) >= 0) {
        if (outLink[s0]! >= 0) hits.push(s0, from + i);
        if (outLink[s1]! >= 0) hits.push(s1, b1 + i);
        if (outLink[s2]! >= 0) hits.push(s2, b2 + i);
        if (outLink[s3]! >= 0) hits.push(s3, b3 + i);
      }
    }
    cursor.state = this.scanOne(bytes, b3 + lane, to, s3, hits);
    hits.sortByIndex(first);
  }

  /** The state at `start`, from the maxDepth bytes before it (hits there belong to the previous lane). */
  private warmUp(bytes: Uint8Array, start: number): number {
    let s = 0;
    for (let i = start - this.maxDepth; i < start; i++) s = this.step(s, bytes[i]!);
    return s;
  }

  private scanOne(bytes: Uint8Array, from: number, to: number, state: number, hits: HitBuffer): number {
    const { denseRows, dense, outLink } = this;
    let s = state;
    for (let i = from; i < to; i++) {
      const c = bytes[i]!;
      s = s < denseRows ? dense[(s << 8) | c]! : this.deepStep(s, c);
      if (outLink[s]! >= 0) hits.push(s, i);
    }
    return s;
  }

  /** The transition from a state without a dense row: its sparse edges, else down its failure chain. */
  private deepStep(state: number, b: number): number {
    const { denseRows, dense, fail, edgeStart, edgeCount, edgeByte, edgeTarget } = this;
    let s = state;
    for (;;) {
      for (let k = edgeStart[s]!, end = k + edgeCount[s]!; k < end; k++) {
        const e = edgeByte[k]!;
        if (e === b) return edgeTarget[k]!;
        if (e > b) break;
      }
      s = fail[s]!;
      if (s < denseRows) return dense[(s << 8) | b]!;
    }
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
