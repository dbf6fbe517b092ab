// Host file metadata (fs.Stats) seen as an NT entry: times rounded to whole milliseconds, the directory flag,
// ARCHIVE for files and READONLY when no write permission bit is set; `extra` adds attributes the stats
// cannot tell (the reparse point of a listed link).

import type { Stats } from 'node:fs';
import { FILE_ATTRIBUTE_ARCHIVE, FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_READONLY } from '../../io/index.js';
import { clusterRound, type EntryInfo } from '../volume-backend.js';

export function entryOfStats(name: string, stats: Stats, extra = 0): EntryInfo {
  const directory = stats.isDirectory();
  const size = directory ? 0 : stats.size;
  const readOnly = (stats.mode & 0o222) === 0 ? FILE_ATTRIBUTE_READONLY : 0;
  return {
    name,
    directory,
    size,
    allocationSize: clusterRound(size),
    // Not every host file system records a birth time; the change time is the closest stand-in.
    creationTime: Math.round(stats.birthtimeMs > 0 ? stats.birthtimeMs : stats.ctimeMs),
    lastAccessTime: Math.round(stats.atimeMs),
    lastWriteTime: Math.round(stats.mtimeMs),
    changeTime: Math.round(stats.ctimeMs),
    attributes: (directory ? FILE_ATTRIBUTE_DIRECTORY : FILE_ATTRIBUTE_ARCHIVE) | readOnly | extra,
  };
}
