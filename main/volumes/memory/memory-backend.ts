// The in-memory volume backend: every method answers synchronously, so IRPs on a memory volume complete
// inside the dispatch routine. The tree belongs to the storage device (see memory-file-system.ts), so
// its files survive a dismount and a remount like files on a disk.

import { STATUS_DISK_FULL, STATUS_OBJECT_PATH_NOT_FOUND, type FileBasicInformationUpdate } from '../../io/index.js';
import type { VolumeBackend } from '../volume-backend.js';
import { VolumeError } from '../volume-error.js';
import { MemoryNode } from './memory-node.js';

/** Largest file the memory volume holds; writes beyond it fail with STATUS_DISK_FULL. */
const MAX_FILE_SIZE = 0x7fffffff;

export class MemoryBackend implements VolumeBackend<MemoryNode> {
  readonly synchronous = true;
  readonly caseSensitive = false;

  constructor(readonly root: MemoryNode) {}

  lookup(path: readonly string[]): MemoryNode | null {
    let node = this.root;
    for (const component of path) {
      const next = node.children?.get(component.toUpperCase());
      if (next === undefined) return null;
      node = next;
    }
    return node;
  }

  open(_path: readonly string[], entry: MemoryNode): MemoryNode {
    return entry;
  }

  createFile(path: readonly string[]): MemoryNode {
    return this.create(path, false);
  }

  createDirectory(path: readonly string[]): MemoryNode {
    return this.create(path, true);
  }

  private create(path: readonly string[], directory: boolean): MemoryNode {
    const node = new MemoryNode(path[path.length - 1]!, directory);
    this.parentOf(path).attach(node);
    return node;
  }

  private parentOf(path: readonly string[]): MemoryNode {
    const parent = this.lookup(path.slice(0, -1));
    if (parent === null || !parent.directory) throw new VolumeError(STATUS_OBJECT_PATH_NOT_FOUND, `no directory for '${path.join('\\')}'`);
    return parent;
  }

  close(): void {}

  query(node: MemoryNode): MemoryNode {
    return node;
  }

  read(node: MemoryNode, buffer: Uint8Array, length: number, offset: number): number {
    const size = node.size;
    if (offset >= size) return 0;
    const count = Math.min(length, size - offset);
    buffer.set(node.data.subarray(offset, offset + count));
    return count;
  }

  write(node: MemoryNode, data: Uint8Array, length: number, offset: number): number {
    const start = offset < 0 ? node.size : offset;
    const end = start + length;
    if (end > MAX_FILE_SIZE) throw new VolumeError(STATUS_DISK_FULL, `write up to byte ${end} exceeds the memory volume's file size limit`);
    node.reserve(end);
    node.data.set(length === data.length ? data : data.subarray(0, length), start);
    if (end > node.size) node.size = end;
    node.touch();
    return end;
  }

  setSize(node: MemoryNode, size: number): void {
    if (size > MAX_FILE_SIZE) throw new VolumeError(STATUS_DISK_FULL, `end of file ${size} exceeds the memory volume's file size limit`);
    if (size < node.size) node.data.fill(0, size, node.size);
    else node.reserve(size);
    node.size = size;
    node.touch();
  }

  setBasic(node: MemoryNode, _path: readonly string[], update: FileBasicInformationUpdate): void {
    if (update.creationTime !== undefined) node.creationTime = update.creationTime;
    if (update.lastAccessTime !== undefined) node.lastAccessTime = update.lastAccessTime;
    if (update.lastWriteTime !== undefined) node.lastWriteTime = update.lastWriteTime;
    node.changeTime = update.changeTime ?? Date.now();
    if (update.fileAttributes !== undefined) node.attributes = update.fileAttributes;
  }

  flush(): void {}

  list(node: MemoryNode): MemoryNode[] {
    return [...node.children!.values()];
  }

  isEmptyDirectory(node: MemoryNode): boolean {
    return node.children!.size === 0;
  }

  rename(node: MemoryNode, _from: readonly string[], to: readonly string[]): void {
    const parent = this.parentOf(to);
    const name = to[to.length - 1]!;
    const existing = parent.children!.get(name.toUpperCase());
    if (existing !== undefined && existing !== node) existing.detach();
    node.detach();
    node.name = name;
    parent.attach(node);
    node.changeTime = Date.now();
  }

  remove(node: MemoryNode): void {
    node.detach();
  }
}
