// Recycled SharedArrayBuffer memory between the filter and its crypto workers. A view of a shared buffer
// crosses to a worker without a copy or a transfer, and a recycled buffer is already paged in (a fresh
// multi-MiB allocation costs more in page faults than the copy it carries). Slabs start page-aligned, so
// they can be written below through an unbuffered open (sector-writer.ts). Giving a slab back is only an
// optimization: a slab never released is simply garbage-collected.

import { alignedSharedBuffer } from '../../main/io/index.js';

const MiB = 1 << 20;
/** Slab sizes are multiples of this (a whole number of 64 KiB pages), so that buffers of nearby lengths are interchangeable. */
const SLAB_UNIT = MiB / 4;
/** At most this many idle bytes are kept for reuse. */
const DEFAULT_MAX_IDLE = 48 * MiB;

export function isShared(bytes: Uint8Array): boolean {
  return bytes.buffer instanceof SharedArrayBuffer;
}

export class SlabPool {
  private readonly idle = new Map<number, SharedArrayBuffer[]>();
  private readonly idleSet = new WeakSet<SharedArrayBuffer>();
  /** Buffers this pool made (page-aligned): only those are taken back. */
  private readonly made = new WeakSet<SharedArrayBuffer>();
  private idleBytes = 0;

  constructor(private readonly maxIdle = DEFAULT_MAX_IDLE) {}

  /** A view of exactly `length` bytes of page-aligned shared memory; its contents are whatever was there before. */
  acquire(length: number): Uint8Array {
    const size = Math.max(SLAB_UNIT, Math.ceil(length / SLAB_UNIT) * SLAB_UNIT);
    const buffer = this.idle.get(size)?.pop();
    if (buffer === undefined) {
      const fresh = alignedSharedBuffer(size);
      this.made.add(fresh);
      return new Uint8Array(fresh, 0, length);
    }
    this.idleSet.delete(buffer);
    this.idleBytes -= size;
    return new Uint8Array(buffer, 0, length);
  }

  /**
   * Gives back a view from acquire(). The caller must hold no other view of the slab, and no worker may
   * still be using it. Views of other memory (even shared), and slabs already given back, are ignored.
   */
  release(view: Uint8Array): void {
    const buffer = view.buffer;
    if (!(buffer instanceof SharedArrayBuffer) || !this.made.has(buffer) || this.idleSet.has(buffer)) return;
    const size = buffer.byteLength;
    if (size % SLAB_UNIT !== 0 || this.idleBytes + size > this.maxIdle) return;
    let list = this.idle.get(size);
    if (list === undefined) this.idle.set(size, (list = []));
    list.push(buffer);
    this.idleSet.add(buffer);
    this.idleBytes += size;
  }

  /** Drops every idle slab (the memory goes back once nothing else refers to it). */
  clear(): void {
    this.idle.clear();
    this.idleBytes = 0;
  }
}
