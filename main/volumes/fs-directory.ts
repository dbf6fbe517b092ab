// IRP_MJ_DIRECTORY_CONTROL / IRP_MN_QUERY_DIRECTORY: FileDirectoryInformation entries of an open
// directory, sorted by name and filtered by an NT wildcard. The first query (or a restart) snapshots the
// listing into the open's CCB; later queries continue from its cursor until STATUS_NO_MORE_FILES.

import {
  FileInformationClass, IRP_MN_QUERY_DIRECTORY, STATUS_INVALID_DEVICE_REQUEST, STATUS_INVALID_HANDLE,
  STATUS_INVALID_INFO_CLASS, STATUS_INVALID_PARAMETER, STATUS_NO_MORE_FILES, STATUS_OBJECT_NAME_INVALID,
  STATUS_SUCCESS, type FileDirectoryInformation, type Irp, type NTSTATUS, type QueryDirectoryParameters,
} from '../io/index.js';
import { networkOpenOf } from './fs-query-information.js';
import { after } from './sync-or-async.js';
import type { EntryInfo } from './volume-backend.js';
import { volumeDispatch } from './volume-dispatch.js';
import { ccbOf, type DirectoryCursor } from './volume-state.js';
import { compileWildcard, type NameMatcher } from './wildcard.js';

export const dispatchDirectoryControl = volumeDispatch((volume, irp, loc) => {
  if (loc.minorFunction !== IRP_MN_QUERY_DIRECTORY) return STATUS_INVALID_DEVICE_REQUEST;
  const ccb = ccbOf(volume, loc);
  if (ccb === null) return STATUS_INVALID_HANDLE;
  const parameters = loc.parameters.queryDirectory;
  if (parameters === undefined) return STATUS_INVALID_PARAMETER;
  if (parameters.fileInformationClass !== FileInformationClass.FileDirectoryInformation) return STATUS_INVALID_INFO_CLASS;
  const fcb = ccb.fcb;
  if (!fcb.directory) return STATUS_INVALID_PARAMETER;
  if (ccb.cursor !== null && !parameters.restartScan) return nextEntries(irp, ccb.cursor, parameters);
  const pattern = parameters.fileName;
  if (pattern !== null && (typeof pattern !== 'string' || pattern.includes('\\'))) return STATUS_OBJECT_NAME_INVALID;
  // A restart without a pattern keeps the enumeration's original one, as NT does.
  const matcher = pattern === null && ccb.cursor !== null ? ccb.cursor.matcher : compileWildcard(pattern);
  return after(volume.backend.list(fcb.stream, fcb.path), (entries) => {
    ccb.cursor = snapshot(entries, matcher);
    return nextEntries(irp, ccb.cursor, parameters);
  });
});

function snapshot(entries: EntryInfo[], matcher: NameMatcher): DirectoryCursor {
  const listed: FileDirectoryInformation[] = [];
  for (const entry of entries) {
    if (matcher(entry.name)) listed.push({ fileName: entry.name, ...networkOpenOf(entry) });
  }
  listed.sort(byName);
  return { entries: listed, next: 0, matcher };
}

/** NT orders directory entries by upcased name; ties (names equal but for case) by the name itself. */
function byName(a: FileDirectoryInformation, b: FileDirectoryInformation): number {
  const x = a.fileName.toUpperCase();
  const y = b.fileName.toUpperCase();
  if (x !== y) return x < y ? -1 : 1;
  return a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0;
}

function nextEntries(irp: Irp, cursor: DirectoryCursor, parameters: QueryDirectoryParameters): NTSTATUS {
  const remaining = cursor.entries.length - cursor.next;
  if (remaining === 0) return STATUS_NO_MORE_FILES;
  const count = parameters.returnSingleEntry ? 1 : remaining;
  const entries = cursor.entries.slice(cursor.next, cursor.next + count);
  cursor.next += count;
  irp.infoBuffer = entries;
  irp.ioStatus.information = count;
  return STATUS_SUCCESS;
}
