// One file or directory of an in-memory volume. A node is its own EntryInfo (no copy per query) and its
// own stream handle. File data lives in a growable buffer whose bytes past `size` are always zero, so
// extending a file (by a write past the end or a larger end-of-file) reads back zeros without a fill.

import { FILE_ATTRIBUTE_ARCHIVE, FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_NORMAL } from '../../io/index.js';
import { clusterRound, type EntryInfo } from '../volume-backend.js';

const EMPTY = new Uint8Array(0);

export class MemoryNode implements EntryInfo {
  parent: MemoryNode | null = null;
  /** Children by upcased name (the memory volume is case-insensitive and case-preserving, like NTFS). */
  readonly children: Map<string, MemoryNode> | null;
  data: Uint8Array = EMPTY;
  size = 0;
  creationTime: number;
  lastAccessTime: number;
  lastWriteTime: number;
  changeTime: number;
  /** The memory volume has no hard links: every node has its one name. */
  readonly links = 1;
  /** FILE_ATTRIBUTE_* bits other than DIRECTORY and NORMAL. */
  private storedAttributes: number;

  constructor(public name: string, readonly directory: boolean) {
    this.children = directory ? new Map() : null;
    const now = Date.now();
    this.creationTime = this.lastAccessTime = this.lastWriteTime = this.changeTime = now;
    this.storedAttributes = directory ? 0 : FILE_ATTRIBUTE_ARCHIVE;
  }

  get allocationSize(): number {
    return this.directory ? 0 : clusterRound(this.size);
  }

  get attributes(): number {
    const bits = this.storedAttributes | (this.directory ? FILE_ATTRIBUTE_DIRECTORY : 0);
    return bits === 0 ? FILE_ATTRIBUTE_NORMAL : bits;
  }

  set attributes(value: number) {
    this.storedAttributes = value & ~(FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_NORMAL);
  }

  /** Makes room for `end` bytes, at least doubling so that appends stay amortised O(1). */
  reserve(end: number): void {
    if (end <= this.data.length) return;
    const grown = new Uint8Array(Math.max(end, this.data.length * 2, 256));
    grown.set(this.data.subarray(0, this.size));
    this.data = grown;
  }

  touch(): void {
    this.lastWriteTime = this.changeTime = Date.now();
  }

  attach(child: MemoryNode): void {
    this.children!.set(child.name.toUpperCase(), child);
    child.parent = this;
    this.touch();
  }

  detach(): void {
    const parent = this.parent;
    if (parent === null) return;
    parent.children!.delete(this.name.toUpperCase());
    parent.touch();
    this.parent = null;
  }
}
