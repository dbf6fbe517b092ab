// The last `capacity` bytes of a stream: what a scanner keeps between chunks to verify hits that
// straddle a boundary and to check EOF-anchored patterns at the end. Memory stays bounded by capacity.

import type { ByteView } from './pattern-verifier.js';

export class TailBuffer {
  private readonly buffer: Uint8Array;
  private held = 0;

  constructor(readonly capacity: number) {
    this.buffer = new Uint8Array(capacity);
  }

  /** How many bytes are kept now. */
  get length(): number {
    return this.held;
  }

  append(chunk: Uint8Array): void {
    const capacity = this.capacity;
    if (capacity === 0) return;
    if (chunk.length >= capacity) {
      this.buffer.set(chunk.subarray(chunk.length - capacity));
      this.held = capacity;
      return;
    }
    const keep = Math.min(this.held, capacity - chunk.length);
    this.buffer.copyWithin(0, this.held - keep, this.held);
    this.buffer.set(chunk, keep);
    this.held = keep + chunk.length;
  }

  /** The kept bytes, positioned so that the last one is at absolute offset end - 1. */
  view(end: number): ByteView {
    return { bytes: this.buffer.subarray(0, this.held), base: end - this.held };
  }

  /** The kept bytes followed by the first `count` bytes of `chunk`, which starts at absolute `chunkBase`. */
  joinedWith(chunk: Uint8Array, count: number, chunkBase: number): ByteView {
    const joined = new Uint8Array(this.held + count);
    joined.set(this.buffer.subarray(0, this.held));
    joined.set(chunk.subarray(0, count), this.held);
    return { bytes: joined, base: chunkBase - this.held };
  }
}
