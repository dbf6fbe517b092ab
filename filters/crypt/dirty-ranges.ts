// The bytes written through the filter and not yet saved: non-overlapping ranges sorted by offset. A new
// write trims what it overlaps (no merging copies, so long sequential writes cost O(1) each); truncation
// drops what lies past the new end. Pure data structure: no I/O.

export interface DirtyRange {
  start: number;
  data: Uint8Array;
}

export class DirtyRanges {
  private ranges: DirtyRange[] = [];
  bytes = 0;

  get count(): number {
    return this.ranges.length;
  }

  /** Takes ownership of `data`. */
  write(start: number, data: Uint8Array): void {
    if (data.length === 0) return;
    const end = start + data.length;
    const last = this.ranges[this.ranges.length - 1];
    if (last === undefined || last.start + last.data.length <= start) {
      this.push(this.ranges, { start, data });
      return;
    }
    const next: DirtyRange[] = [];
    let inserted = false;
    for (const range of this.ranges) {
      const rangeEnd = range.start + range.data.length;
      if (rangeEnd <= start || range.start >= end) {
        if (!inserted && range.start >= end) {
          next.push({ start, data });
          inserted = true;
        }
        next.push(range);
        continue;
      }
      if (range.start < start) next.push({ start: range.start, data: range.data.subarray(0, start - range.start) });
      if (!inserted) {
        next.push({ start, data });
        inserted = true;
      }
      if (rangeEnd > end) next.push({ start: end, data: range.data.subarray(end - range.start) });
    }
    if (!inserted) next.push({ start, data });
    this.ranges = next;
    this.recount();
  }

  /** Drops everything at or past `size`. */
  truncate(size: number): void {
    const next: DirtyRange[] = [];
    for (const range of this.ranges) {
      if (range.start >= size) continue;
      const keep = Math.min(range.data.length, size - range.start);
      next.push(keep === range.data.length ? range : { start: range.start, data: range.data.subarray(0, keep) });
    }
    this.ranges = next;
    this.recount();
  }

  /** Copies the dirty bytes that fall in [offset, offset + out.length) into `out`. */
  overlay(offset: number, out: Uint8Array): void {
    const end = offset + out.length;
    for (const range of this.ranges) {
      const rangeEnd = range.start + range.data.length;
      if (rangeEnd <= offset) continue;
      if (range.start >= end) break;
      const from = Math.max(offset, range.start);
      const to = Math.min(end, rangeEnd);
      out.set(range.data.subarray(from - range.start, to - range.start), from - offset);
    }
  }

  /** The bytes of [offset, end) when one range holds all of them (a view, not a copy), else null. */
  within(offset: number, end: number): Uint8Array | null {
    for (const range of this.ranges) {
      if (range.start > offset) return null;
      if (range.start + range.data.length >= end) return range.data.subarray(offset - range.start, end - range.start);
    }
    return null;
  }

  /** True when the dirty ranges cover [offset, end) entirely (no base bytes needed). */
  covers(offset: number, end: number): boolean {
    let at = offset;
    for (const range of this.ranges) {
      if (range.start > at) break;
      at = Math.max(at, range.start + range.data.length);
      if (at >= end) return true;
    }
    return at >= end;
  }

  /**
   * Forgets the ranges that end at or before `offset` (their bytes are kept elsewhere now) and returns
   * the memory they held that no remaining range shares (a range split by a later write shares it).
   */
  dropBefore(offset: number): ArrayBufferLike[] {
    let count = 0;
    while (count < this.ranges.length && this.ranges[count]!.start + this.ranges[count]!.data.length <= offset) count++;
    if (count === 0) return [];
    const dropped = new Set(this.ranges.slice(0, count).map((range) => range.data.buffer));
    this.ranges = this.ranges.slice(count);
    for (const range of this.ranges) dropped.delete(range.data.buffer);
    this.recount();
    return [...dropped];
  }

  clear(): void {
    this.ranges = [];
    this.bytes = 0;
  }

  private push(list: DirtyRange[], range: DirtyRange): void {
    list.push(range);
    this.bytes += range.data.length;
  }

  private recount(): void {
    this.bytes = this.ranges.reduce((sum, range) => sum + range.data.length, 0);
  }
}
