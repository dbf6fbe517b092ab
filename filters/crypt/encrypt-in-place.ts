// First protection of a folder that already holds plaintext: every plain file is encrypted to the vault's
// recipient, streaming (batch by batch, never the whole file in memory), crash-safe per file (temporary
// file, fsync, rename over, fsync folder: a crash leaves the plain or the encrypted version, complete),
// resumable (files already in age format are skipped; the journal records the run), with progress and cancel.
// Temporary files an interrupted run left are removed by the sweep the filter runs when it attaches to the
// volume (temp-sweep.ts); the report lists them. Links (reparse points in the listing) are left alone: a
// link back to a parent would make the walk endless, and encrypting a link's name would replace the link
// by an encrypted copy of its target, which is encrypted where it lies.

import {
  FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_REPARSE_POINT, NtStatusError, STATUS_CANCELLED, STATUS_FILE_CORRUPT_ERROR, statusName,
} from '../../main/io/index.js';
import { publish, stage } from './commit.js';
import { statusOf } from './crypt-status.js';
import type { CryptVolume } from './crypt-volume.js';
import type { EncryptJournal } from './encrypt-journal.js';
import { probe } from './file-probe.js';
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
}

export interface EncryptReport {
  encrypted: string[];
  /** Already age files (from an earlier run, or written through Strata). */
  skipped: string[];
  failed: { path: string; status: string }[];
  /** Temporary files of an interrupted run (or save) whose writer is gone, removed by the volume's sweep. */
  cleaned: string[];
  cancelled: boolean;
}

interface Candidate {
  name: string;
  size: number;
}

export async function encryptInPlace(volume: CryptVolume, options: EncryptInPlaceOptions = {}): Promise<EncryptReport> {
  const report: EncryptReport = { encrypted: [], skipped: [], failed: [], cleaned: [], cancelled: false };
  const folderKey = options.folderKey ?? '';
  const journaled = options.journal?.begin(folderKey) ?? new Set<string>();
  const files = await collect(volume, '');
  const progress: EncryptProgress = { done: 0, total: files.length, bytes: 0, totalBytes: files.reduce((sum, file) => sum + file.size, 0) };
  for (const file of files) {
    if (options.signal?.aborted) {
      report.cancelled = true;
      break;
    }
    progress.current = file.name;
    options.onProgress?.({ ...progress });
    try {
      const outcome = await encryptOne(volume, file, options.signal);
      if (outcome === 'encrypted') {
        report.encrypted.push(file.name);
        options.journal?.fileDone(folderKey, file.name, file.size);
      } else {
        report.skipped.push(file.name);
        if (!journaled.has(file.name)) options.journal?.fileDone(folderKey, file.name, file.size);
      }
    } catch (error) {
      if (statusOf(error) === STATUS_CANCELLED || options.signal?.aborted) {
        report.cancelled = true;
        break;
      }
      report.failed.push({ path: file.name, status: statusName(statusOf(error)) });
    }
    progress.done++;
    progress.bytes += file.size;
    options.onProgress?.({ ...progress });
  }
  report.cleaned.push(...(await volume.tempSweep).removed);
  options.journal?.finish(folderKey, report.cancelled || report.failed.length > 0 ? 'interrupted' : 'done');
  return report;
}

/** Every file of the folder, depth first (Strata's own files and links left out). */
async function collect(volume: CryptVolume, directory: string): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const entries = (await volume.below.list(directory)).sort((a, b) => (a.fileName < b.fileName ? -1 : 1));
  for (const entry of entries) {
    const name = joinName([...componentsOf(directory), entry.fileName]);
    if (isHiddenEntry(directory, entry.fileName) || (entry.fileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) !== 0) continue;
    if ((entry.fileAttributes & FILE_ATTRIBUTE_DIRECTORY) !== 0) out.push(...(await collect(volume, name)));
    else out.push({ name, size: entry.endOfFile });
  }
  return out;
}

async function encryptOne(volume: CryptVolume, file: Candidate, signal?: AbortSignal): Promise<'encrypted' | 'skipped'> {
  const handle = await volume.below.open(file.name);
  try {
    const base = await probe(volume.below, handle);
    if (base.kind === 'age') return 'skipped';
    if (base.kind === 'corrupt') throw new NtStatusError(STATUS_FILE_CORRUPT_ERROR, `'${file.name}' looks like a damaged age file: ${base.reason}`);
    const size = base.kind === 'plain' ? base.size : 0;
    const staged = await stage(volume, file.name, { size, read: async (offset, into) => into.subarray(0, await volume.below.readInto(handle, offset, into.subarray(0, Math.max(0, Math.min(into.length, size - offset))))) }, signal);
    await volume.below.close(handle);
    await publish(volume, staged);
    return 'encrypted';
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') throw new NtStatusError(STATUS_CANCELLED, 'encrypt in place cancelled');
    throw error;
  } finally {
    await volume.below.close(handle);
  }
}
