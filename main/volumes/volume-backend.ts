// The small interface a storage backend implements so that the shared file-system driver can complete
// IRPs on it. Paths are validated component arrays (see volume-path.ts); a backend never sees a raw name.
// Every method may answer directly (the in-memory backend: IRPs complete inside the dispatch routine)
// or with a promise (the local-directory backend: IRPs pend). Failures are thrown (or rejected) as
// VolumeError or host OS errors, which the driver maps to NTSTATUS.

import type { FileBasicInformationUpdate } from '../io/index.js';
import type { MaybeAsync } from './sync-or-async.js';

/** What a directory entry or an open stream looks like to NT callers. Times are ms since the epoch. */
export interface EntryInfo {
  readonly name: string;
  readonly directory: boolean;
  /** End of file in bytes (0 for directories). */
  readonly size: number;
  readonly allocationSize: number;
  readonly creationTime: number;
  readonly lastAccessTime: number;
  readonly lastWriteTime: number;
  readonly changeTime: number;
  /** FILE_ATTRIBUTE_* bits. */
  readonly attributes: number;
  /** How many names (hard links) the file has; 1 for a directory. */
  readonly links: number;
  /**
   * From a lookup by path: where the entry really is, when the path reached it through a link (the
   * components of its own path on the volume). A create is reparsed to it (STATUS_REPARSE).
   */
  readonly target?: readonly string[];
}

/**
 * `S` is the backend's handle on one stream (file or directory): the driver keeps it in the stream's
 * FCB from the first open to the last close, so every open of a file shares it.
 */
export interface VolumeBackend<S = unknown> {
  /** True when no method ever returns a promise: requests then complete inside the dispatch routine. */
  readonly synchronous: boolean;
  /** Whether names differing only in case are different files. */
  readonly caseSensitive: boolean;

  /** The entry at `path`, or null when it (or a directory on the way) does not exist. */
  lookup(path: readonly string[]): MaybeAsync<EntryInfo | null>;
  /** A stream handle on the existing entry `path` just looked up. */
  open(path: readonly string[], entry: EntryInfo): MaybeAsync<S>;
  /** Creates an empty file (its parent exists, the name is free) and returns its stream handle. */
  createFile(path: readonly string[]): MaybeAsync<S>;
  createDirectory(path: readonly string[]): MaybeAsync<S>;
  /** The last reference to the stream is gone. */
  close(stream: S): MaybeAsync<void>;

  query(stream: S, path: readonly string[]): MaybeAsync<EntryInfo>;
  /**
   * Copies up to `length` bytes at `offset` into `buffer`; returns the count (0 at or past the end).
   * `unbuffered`: the open asked for non-cached I/O (offset and length are already checked sector-aligned);
   * a backend that has a host cache to bypass does so where the host allows, the others ignore it.
   */
  read(stream: S, buffer: Uint8Array, length: number, offset: number, unbuffered: boolean): MaybeAsync<number>;
  /** Writes `length` bytes of `data` at `offset` (-1: at the end), zero-filling any gap; returns the end offset. `unbuffered`: as for read. */
  write(stream: S, data: Uint8Array, length: number, offset: number, unbuffered: boolean): MaybeAsync<number>;
  /** Truncates or zero-extends to `size` bytes. */
  setSize(stream: S, size: number): MaybeAsync<void>;
  /** Applies the non-zero times and, when non-zero, the attributes. */
  setBasic(stream: S, path: readonly string[], update: FileBasicInformationUpdate): MaybeAsync<void>;
  flush(stream: S): MaybeAsync<void>;
  /** Makes a directory's entries durable (after a create or rename in it); absent where there is nothing to do. */
  flushDirectory?(path: readonly string[]): MaybeAsync<void>;

  /** The entries of a directory, in no particular order. */
  list(stream: S, path: readonly string[]): MaybeAsync<EntryInfo[]>;
  isEmptyDirectory(stream: S, path: readonly string[]): MaybeAsync<boolean>;
  /** Moves `from` to `to` (the target's parent exists; an existing target file is replaced). */
  rename(stream: S, from: readonly string[], to: readonly string[]): MaybeAsync<void>;
  remove(stream: S, path: readonly string[], directory: boolean): MaybeAsync<void>;

  /**
   * FSCTL_STRATA_TRUST_COPY_SOURCE: host files below `hostDirectory` may from now on be copied into this
   * volume's files. Absent where the backend cannot copy host files (the FSCTL is then refused).
   */
  trustCopySource?(hostDirectory: string): MaybeAsync<void>;
  /**
   * FSCTL_STRATA_COPY_FROM_HOST_FILE: replaces the stream's content with the host file `hostFile` (below a
   * trusted directory, exactly `byteCount` bytes), in the host's kernel where it can. On failure the
   * stream's content is undefined: the caller, who asked for it to be replaced, restores it.
   */
  copyFromHostFile?(stream: S, hostFile: string, byteCount: number): MaybeAsync<void>;

  /** The volume is dismounted. */
  dispose?(): void;
}

const CLUSTER = 4096;

/** The allocation size volumes report: the size rounded up to whole 4 KiB clusters. */
export function clusterRound(size: number): number {
  return Math.ceil(size / CLUSTER) * CLUSTER;
}
