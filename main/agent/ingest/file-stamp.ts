// A file's identity-and-version stamp (size, modification time, inode): equal stamps mean "the same bytes
// as when we last looked", which is how ingest tells its own writes and settled files apart.

import type { Stats } from 'node:fs';

export interface FileStamp {
  size: number;
  mtimeMs: number;
  ino: number;
}

export function stampOf(stats: Stats): FileStamp {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino };
}

export function sameStamp(a: FileStamp | null | undefined, b: FileStamp | null | undefined): boolean {
  return a != null && b != null && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}
