// Completion post-processing of IRP_MJ_QUERY_INFORMATION and IRP_MJ_DIRECTORY_CONTROL, as the filter-driver
// chapter does for sizes: the file system reports ciphertext sizes; the filter rewrites them to plaintext
// sizes, marks encrypted files FILE_ATTRIBUTE_ENCRYPTED, and drops Strata's own entries from listings.

import {
  FLTFL_POST_OPERATION_DRAINING, FLT_POSTOP_FINISHED_PROCESSING, FLT_POSTOP_MORE_PROCESSING_REQUIRED,
  type FltCallbackData, type FltPostopStatus,
} from '../../main/fltmgr/index.js';
import {
  FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_ENCRYPTED, FILE_ATTRIBUTE_NORMAL, FileInformationClass, NT_SUCCESS,
  STATUS_NO_MORE_FILES, type FileAllInformation, type FileDirectoryInformation,
} from '../../main/io/index.js';
import type { CryptVolume } from './crypt-volume.js';
import { streamOf } from './data-callbacks.js';
import { probeByName, type Base } from './file-probe.js';
import { componentsOf, isHiddenEntry, joinName } from './names.js';

const CLUSTER = 4096;

function allocationOf(size: number): number {
  return Math.ceil(size / CLUSTER) * CLUSTER;
}

function encryptedAttributes(attributes: number): number {
  return (attributes & ~FILE_ATTRIBUTE_NORMAL) | FILE_ATTRIBUTE_ENCRYPTED;
}

export function postQueryInformation(volume: CryptVolume, data: FltCallbackData, flags: number): FltPostopStatus {
  if ((flags & FLTFL_POST_OPERATION_DRAINING) !== 0 || !NT_SUCCESS(data.ioStatus.status)) return FLT_POSTOP_FINISHED_PROCESSING;
  const stream = streamOf(volume, data);
  if (stream === null || !stream.encrypted) return FLT_POSTOP_FINISHED_PROCESSING;
  const size = stream.size;
  const info = data.infoBuffer as Record<string, unknown>;
  switch (data.parameters.queryFile?.fileInformationClass) {
    case FileInformationClass.FileStandardInformation:
      data.infoBuffer = { ...info, endOfFile: size, allocationSize: allocationOf(size) };
      break;
    case FileInformationClass.FileNetworkOpenInformation:
      data.infoBuffer = { ...info, endOfFile: size, allocationSize: allocationOf(size), fileAttributes: encryptedAttributes(info.fileAttributes as number) };
      break;
    case FileInformationClass.FileBasicInformation:
      data.infoBuffer = { ...info, fileAttributes: encryptedAttributes(info.fileAttributes as number) };
      break;
    case FileInformationClass.FileAllInformation: {
      const all = info as unknown as FileAllInformation;
      data.infoBuffer = {
        ...all,
        basic: { ...all.basic, fileAttributes: encryptedAttributes(all.basic.fileAttributes) },
        standard: { ...all.standard, endOfFile: size, allocationSize: allocationOf(size) },
      } satisfies FileAllInformation;
      break;
    }
  }
  return FLT_POSTOP_FINISHED_PROCESSING;
}

export function postDirectoryControl(volume: CryptVolume, data: FltCallbackData, flags: number): FltPostopStatus {
  if ((flags & FLTFL_POST_OPERATION_DRAINING) !== 0 || !NT_SUCCESS(data.ioStatus.status) || !Array.isArray(data.infoBuffer)) {
    return FLT_POSTOP_FINISHED_PROCESSING;
  }
  const directory = joinName(componentsOf(data.fileObject?.fileName ?? ''));
  const entries = data.infoBuffer as FileDirectoryInformation[];
  rewriteListing(volume, directory, entries).then(
    (listed) => {
      data.infoBuffer = listed;
      data.ioStatus.information = listed.length;
      if (listed.length === 0) data.ioStatus.status = STATUS_NO_MORE_FILES;
    },
    () => undefined,
  ).finally(() => volume.manager.completePendedPostOperation(data));
  return FLT_POSTOP_MORE_PROCESSING_REQUIRED;
}

async function rewriteListing(volume: CryptVolume, directory: string, entries: FileDirectoryInformation[]): Promise<FileDirectoryInformation[]> {
  const listed: FileDirectoryInformation[] = [];
  for (const entry of entries) {
    if (isHiddenEntry(directory, entry.fileName)) continue;
    if ((entry.fileAttributes & FILE_ATTRIBUTE_DIRECTORY) !== 0) {
      listed.push(entry);
      continue;
    }
    const base = await probeEntry(volume, `${directory}\\${entry.fileName}`, entry);
    if (base?.kind === 'age') {
      listed.push({ ...entry, endOfFile: base.plaintextSize, allocationSize: allocationOf(base.plaintextSize), fileAttributes: encryptedAttributes(entry.fileAttributes) });
    } else {
      listed.push(entry);
    }
  }
  return listed;
}

/** What a listed file is, from the cache when its size and write time are unchanged. */
async function probeEntry(volume: CryptVolume, name: string, entry: FileDirectoryInformation): Promise<Base | null> {
  const cached = volume.probeCache.get(name);
  if (cached !== undefined && cached.size === entry.endOfFile && cached.lastWriteTime === entry.lastWriteTime) return cached.base;
  try {
    const base = await probeByName(volume.below, name);
    if (base !== null) volume.rememberProbe(name, { size: entry.endOfFile, lastWriteTime: entry.lastWriteTime, base });
    return base;
  } catch {
    return null;
  }
}
