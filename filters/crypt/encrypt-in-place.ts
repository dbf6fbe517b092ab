// First protection of a folder that already holds plaintext: every plain file is encrypted to the vault's
// recipient, streaming (batch by batch, never the whole file in memory), crash-safe per file (temporary
// file, fsync, rename over, fsync folder: a crash leaves the plain or the encrypted version, complete),
// resumable (files already in age format are skipped; the journal records the run), with progress (per
// batch read) and cancel. A file another program changes meanwhile is encrypted again from its new
// version (encrypt-one-file.ts); names that vanished or now lead to another file are listed again, up to
// PASSES times, so a file renamed during the run is encrypted under its new name. Age files to another
// key are left alone and listed as such.
// Temporary files an interrupted run left are removed by the sweep the filter runs when it attaches to the
// volume (temp-sweep.ts); the report lists them. Links (reparse points in the listing) are left alone: a
// link back to a parent would make the walk endless, and encrypting a link's name would replace the link
// by an encrypted copy of its target, which is encrypted where it lies. Named pipes, sockets and devices
// are listed as reparse points too, and left alone with them. A file with other names (hard links) is
// encrypted and also listed as `linked`: its other names lead to the plain file (those inside the folder
// are encrypted in their turn, those outside keep the plaintext).

import { FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_REPARSE_POINT, STATUS_CANCELLED, STATUS_SHARING_VIOLATION, statusName } from '../../main/io/index.js';
import { statusOf } from './crypt-status.js';
import type { CryptVolume } from './crypt-volume.js';
import { encryptFile, type EncryptFileOptions, type FileOutcome, type ListedFile } from './encrypt-one-file.js';
import type { EncryptJournal } from './encrypt-journal.js';
import { componentsOf, isHiddenEntry, joinName } from './names.js';

export interface EncryptProgress {
  done: number;
  total: number;
  bytes: number;
  totalBytes: number;
  current?: string;
}

export interface EncryptInPlaceOptions {
  signal?: AbortSignal;
  onProgress?: (progress: EncryptProgress) => void;
  journal?: EncryptJournal;
  /** The folder's identity in the journal (its real path). */
  folderKey?: string;
  /** Tells stand-ins for files in cold storage, left alone (encrypt-one-file.ts, EncryptFileOptions.isColdStub). */
  isColdStub?: EncryptFileOptions['isColdStub'];
}

export interface EncryptReport {
  encrypted: string[];
  /** Also in `encrypted`: the file had other names (hard links) when it was encrypted; they still lead to its plaintext. */
  linked: string[];
  /** Already age files to this vault (from an earlier run, or written through Strata). */
  skipped: string[];
  /** Age files to another key than this vault's: left as they are (Strata cannot read them). */
  foreign: string[];
  /** Stand-ins for files in cold storage (EncryptInPlaceOptions.isColdStub): left as they are. */
  cold: string[];
  /** Listed, then deleted (or renamed: the new name is encrypted when it was seen) before their turn. */
  gone: string[];
  failed: { path: string; status: string; reason: string }[];
  /** Temporary files of an interrupted run (or save) whose writer is gone, removed by the volume's sweep. */
  cleaned: string[];
  cancelled: boolean;
}

/** Walks of the folder at most: the first, then again while names vanished or changed files under the run. */
const PASSES = 3;

export async function encryptInPlace(volume: CryptVolume, options: EncryptInPlaceOptions = {}): Promise<EncryptReport> {
  const report: EncryptReport = { encrypted: [], linked: [], skipped: [], foreign: [], cold: [], gone: [], failed: [], cleaned: [], cancelled: false };
  const folderKey = options.folderKey ?? '';
  const journaled = options.journal?.begin(folderKey) ?? new Set<string>();
  const settled = new Set<string>();
  const unsettled = new Map<string, 'gone' | 'replaced'>();
  let files = await collect(volume, '', report.failed);
  const progress: EncryptProgress = { done: 0, total: files.length, bytes: 0, totalBytes: sizeOf(files) };
  for (let pass = 1; ; pass++) {
    for (const file of files) {
      if (options.signal?.aborted) {
        report.cancelled = true;
        break;
      }
      progress.current = file.name;
      options.onProgress?.({ ...progress });
      const outcome = await encryptListed(volume, file, progress, options);
      if (outcome === 'cancelled') {
        report.cancelled = true;
        break;
      }
      progress.done++;
      progress.bytes += file.size;
      options.onProgress?.({ ...progress, current: file.name });
      if (outcome === 'gone' || outcome === 'replaced') {
        unsettled.set(file.name, outcome);
        continue;
      }
      settled.add(file.name);
      unsettled.delete(file.name);
      if (typeof outcome === 'object') {
        report.failed.push({ path: file.name, ...outcome });
        continue;
      }
      const encrypted = outcome === 'encrypted' || outcome === 'linked';
      if (outcome === 'linked') report.encrypted.push(file.name);
      report[outcome].push(file.name);
      // A file an earlier attempt of this run recorded is not recorded again.
      if (encrypted || !journaled.has(file.name)) options.journal?.fileDone(folderKey, file.name, file.size);
    }
    if (report.cancelled || unsettled.size === 0 || pass === PASSES) break;
    const unlisted: EncryptReport['failed'] = [];
    files = (await collect(volume, '', unlisted)).filter((file) => !settled.has(file.name));
    report.failed.push(...unlisted.filter((folder) => !report.failed.some((failure) => failure.path === folder.path)));
    const listed = new Set(files.map((file) => file.name));
    for (const [name, why] of unsettled) {
      if (listed.has(name)) continue;
      unsettled.delete(name);
      // A replaced name no longer listed as a file is a link now, left alone as every link.
      if (why === 'gone') report.gone.push(name);
    }
    progress.total = progress.done + files.length;
    progress.totalBytes = progress.bytes + sizeOf(files);
  }
  for (const [name, why] of unsettled) {
    if (why === 'gone') report.gone.push(name);
    else {
      report.failed.push({
        path: name, status: statusName(STATUS_SHARING_VIOLATION),
        reason: `'${name}' was replaced by another file each time it was listed (${PASSES} times); it was left as it was`,
      });
    }
  }
  report.cleaned.push(...(await volume.tempSweep).removed);
  options.journal?.finish(folderKey, report.cancelled || report.failed.length > 0 ? 'interrupted' : 'done');
  return report;
}

/** One file's outcome, its failure (status and reason), or 'cancelled'; progress follows its reads. */
async function encryptListed(
  volume: CryptVolume, file: ListedFile, progress: EncryptProgress, options: EncryptInPlaceOptions,
): Promise<FileOutcome | { status: string; reason: string } | 'cancelled'> {
  try {
    return await encryptFile(volume, file, {
      signal: options.signal,
      isColdStub: options.isColdStub,
      onRead: (bytes) => options.onProgress?.({ ...progress, bytes: progress.bytes + Math.min(bytes, file.size) }),
    });
  } catch (error) {
    if (statusOf(error) === STATUS_CANCELLED || options.signal?.aborted) return 'cancelled';
    return { status: statusName(statusOf(error)), reason: error instanceof Error ? error.message : String(error) };
  }
}

function sizeOf(files: readonly ListedFile[]): number {
  return files.reduce((sum, file) => sum + file.size, 0);
}

/**
 * Every file of the folder, depth first (Strata's own files and links left out). A subfolder that cannot
 * be listed (no permission, removed meanwhile) is added to `failed` and the walk goes on; the folder itself
 * must be listable.
 */
async function collect(volume: CryptVolume, directory: string, failed: EncryptReport['failed']): Promise<ListedFile[]> {
  const out: ListedFile[] = [];
  let entries;
  try {
    entries = await volume.below.list(directory);
  } catch (error) {
    if (directory === '') throw error;
    failed.push({ path: directory, status: statusName(statusOf(error)), reason: `the folder '${directory}' cannot be listed: ${(error as Error).message}` });
    return out;
  }
  entries.sort((a, b) => (a.fileName < b.fileName ? -1 : 1));
  for (const entry of entries) {
    const name = joinName([...componentsOf(directory), entry.fileName]);
    if (isHiddenEntry(directory, entry.fileName) || (entry.fileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) !== 0) continue;
    if ((entry.fileAttributes & FILE_ATTRIBUTE_DIRECTORY) !== 0) out.push(...(await collect(volume, name, failed)));
    else out.push({ name, size: entry.endOfFile, creationTime: entry.creationTime });
  }
  return out;
}
