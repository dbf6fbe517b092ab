// Encrypt in place, one file: its plaintext is streamed into a new age file beside it (commit.ts: temporary
// file, fsync), which is renamed over it only if the file is still the one that was read, as it was read.
// Another program may write to the file meanwhile (an append, a rewrite, a truncation): the copy is thrown
// away and made again, so an edit is never lost and no mix of two versions is encrypted. A name that now
// leads to another file (renamed over, swapped for a link) or to nothing is left for the caller to list
// again. The new file keeps the original's write and access times and its read-only attribute: its content,
// as Strata shows it, did not change. A file with other names (hard links) is encrypted all the same, and
// said to be: the rename gives this name a new file, the other names still lead to the plain one.

import { NoIdentityMatchError, openHeader } from '../../main/age/index.js';
import {
  FILE_ATTRIBUTE_READONLY, FileInformationClass, NT_SUCCESS, NtStatusError, STATUS_CANCELLED, STATUS_FILE_CORRUPT_ERROR,
  STATUS_SHARING_VIOLATION, type FileHandle, type FileStandardInformation,
} from '../../main/io/index.js';
import { publish, stage, type PlaintextSource, type StagedFile } from './commit.js';
import type { CryptVolume } from './crypt-volume.js';
import { probe } from './file-probe.js';
import { isNoFileThere, sameVersion, versionListedAt, versionOf, type FileVersion } from './file-version.js';

/** A file as the walk listed it. */
export interface ListedFile {
  readonly name: string;
  readonly size: number;
  readonly creationTime: number;
}

/**
 * encrypted; linked: encrypted, but the file had other names (hard links), which keep its plaintext;
 * skipped: an age file to this vault already; foreign: an age file to another key (left alone);
 * cold: a stand-in for a file in cold storage (left alone, see EncryptFileOptions.isColdStub);
 * gone: no file at the name any more; replaced: the name leads to another file than the one listed.
 */
export type FileOutcome = 'encrypted' | 'linked' | 'skipped' | 'foreign' | 'cold' | 'gone' | 'replaced';

/** Tries before a file that changes under every one of them is given up (and left as it was). */
export const ATTEMPTS_PER_FILE = 3;

export interface EncryptFileOptions {
  signal?: AbortSignal;
  /** Bytes of the file read so far (of this attempt). */
  onRead?: (bytes: number) => void;
  /**
   * Whether the raw file (its size, its first COLD_STUB_HEAD bytes) is a stand-in for a file in cold
   * storage (an HSM stub). Such a file is left alone: its bytes are not the file's content, and encrypting
   * them would turn the stub into an ordinary file and cut it off from its cold copy, the only copy of its
   * content. Without a cold-storage filter below, the stack cannot tell; the caller who knows the format says.
   */
  isColdStub?: (size: number, head: Uint8Array) => boolean;
}

/** How many leading bytes of a small plain file isColdStub is shown. */
export const COLD_STUB_HEAD = 64;

/** The file changed while it was being read: the copy is not the file. */
class ChangedWhileRead extends Error {}

export async function encryptFile(volume: CryptVolume, file: ListedFile, options: EncryptFileOptions = {}): Promise<FileOutcome> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptFile(volume, file, options);
    if (outcome !== 'changed') return outcome;
    if (attempt === ATTEMPTS_PER_FILE) {
      throw new NtStatusError(
        STATUS_SHARING_VIOLATION,
        `'${file.name}' changed while it was being encrypted, ${ATTEMPTS_PER_FILE} times: another program is writing it; it was left as it was`,
      );
    }
  }
}

async function attemptFile(volume: CryptVolume, file: ListedFile, options: EncryptFileOptions): Promise<FileOutcome | 'changed'> {
  const opened = await volume.below.tryOpen(file.name);
  if (opened.handle === null) {
    if (isNoFileThere(opened.status)) return 'gone';
    throw new NtStatusError(opened.status, `crypt filter: open '${file.name}' below the filter failed`);
  }
  let staged: StagedFile | null = null;
  let read: FileVersion;
  let links: number;
  try {
    const before = await versionOf(volume, opened.handle, file.name);
    if (before.creationTime !== file.creationTime) return 'replaced';
    const base = await probe(volume.below, opened.handle);
    if (base.kind === 'age') return isForThisVault(volume, base.prefix) ? 'skipped' : 'foreign';
    if (base.kind === 'corrupt') throw new NtStatusError(STATUS_FILE_CORRUPT_ERROR, `'${file.name}' looks like a damaged age file: ${base.reason}`);
    if (options.isColdStub !== undefined && (await isColdStub(volume, opened.handle, before.size, options.isColdStub))) return 'cold';
    links = await linksOf(volume, opened.handle, file.name);
    staged = await stage(volume, file.name, plaintextOf(volume, opened.handle, file.name, before.size, options.onRead), options.signal);
    read = await versionOf(volume, opened.handle, file.name);
    if (!sameVersion(before, read)) return discard(volume, staged, 'changed');
    await keepTimesAndReadOnly(volume, staged, before);
  } catch (error) {
    if (staged !== null) await discard(volume, staged, null);
    if (error instanceof ChangedWhileRead) return 'changed';
    if ((error as Error)?.name === 'AbortError') throw new NtStatusError(STATUS_CANCELLED, 'encrypt in place cancelled');
    throw error;
  } finally {
    // Closed before the rename: NT refuses to rename over an open file.
    await volume.below.close(opened.handle);
  }
  const now = await versionListedAt(volume, file.name).catch(async (error: unknown) => {
    await discard(volume, staged, null);
    throw error;
  });
  if (now === null) return discard(volume, staged, 'gone');
  if (now.kind === 'link' || now.version.creationTime !== read.creationTime) return discard(volume, staged, 'replaced');
  if (!sameVersion(now.version, read)) return discard(volume, staged, 'changed');
  await publish(volume, staged);
  return links > 1 ? 'linked' : 'encrypted';
}

/** How many names (hard links) the open file has, as the volume reports them. */
async function linksOf(volume: CryptVolume, handle: FileHandle, name: string): Promise<number> {
  const result = await volume.manager.api.queryInformation(handle, FileInformationClass.FileStandardInformation);
  if (!NT_SUCCESS(result.status)) throw new NtStatusError(result.status, `crypt filter: query the links of '${name}' below the filter failed`);
  return (result.info as FileStandardInformation).numberOfLinks;
}

/** The file's first `size` bytes, read below; a short read means it was cut meanwhile. */
function plaintextOf(volume: CryptVolume, handle: FileHandle, name: string, size: number, onRead?: (bytes: number) => void): PlaintextSource {
  let bytesRead = 0;
  return {
    size,
    async read(offset, into) {
      const wanted = Math.max(0, Math.min(into.length, size - offset));
      const got = await volume.below.readInto(handle, offset, into.subarray(0, wanted));
      if (got < wanted) throw new ChangedWhileRead(`'${name}' was cut to ${offset + got} bytes while it was being read`);
      bytesRead += got;
      onRead?.(bytesRead);
      return into.subarray(0, got);
    },
  };
}

async function isColdStub(volume: CryptVolume, handle: FileHandle, size: number, test: (size: number, head: Uint8Array) => boolean): Promise<boolean> {
  const head = new Uint8Array(Math.min(size, COLD_STUB_HEAD));
  const got = await volume.below.readInto(handle, 0, head);
  return test(size, head.subarray(0, got));
}

/** Whether an age file is addressed to this vault (left as it is either way); damage is an error. */
function isForThisVault(volume: CryptVolume, prefix: Uint8Array): boolean {
  const identity = volume.keyRing.use();
  // Locked, nothing can be told: an age file is none of encrypt in place's business.
  if (identity === null) return true;
  try {
    volume.sodium.memzero(openHeader(volume.sodium, prefix, [identity]).payloadKey);
    return true;
  } catch (error) {
    if (error instanceof NoIdentityMatchError) return false;
    throw error;
  }
}

async function keepTimesAndReadOnly(volume: CryptVolume, staged: StagedFile, original: FileVersion): Promise<void> {
  const readOnly = (original.fileAttributes & FILE_ATTRIBUTE_READONLY) !== 0;
  const { status } = await volume.manager.api.setInformation(staged.temp, FileInformationClass.FileBasicInformation, {
    lastAccessTime: original.lastAccessTime,
    lastWriteTime: original.lastWriteTime,
    ...(readOnly ? { fileAttributes: FILE_ATTRIBUTE_READONLY } : {}),
  });
  if (!NT_SUCCESS(status)) throw new NtStatusError(status, `crypt filter: keep the times of '${staged.target}' on its encrypted version failed`);
}

/** Deletes the staged copy (the original stays as it is) and passes `outcome` on. */
async function discard<T>(volume: CryptVolume, staged: StagedFile, outcome: T): Promise<T> {
  await volume.below.deleteAndClose(staged.temp).catch(() => undefined);
  return outcome;
}
