// The target of a rename, as NT's I/O manager settles it before the rename is sent: the folder that will
// hold the new name is opened first (IoCreateFile with SL_OPEN_TARGET_DIRECTORY), with the same reparse
// processing as any open, and the rename names that folder as it really is. Without this, a new name
// reached through a directory link would pass every filter under the link's name while the file system
// moved the file where the link leads (into the vault folder, say, past the encryption filter's check).
// A rename within the folder the file was opened in needs no open: that folder's name is already its own.

import type { FileObject } from './device.js';
import type { FileRenameInformation } from './file-information.js';
import {
  NT_SUCCESS, STATUS_NOT_A_DIRECTORY, STATUS_OBJECT_NAME_NOT_FOUND, STATUS_OBJECT_PATH_NOT_FOUND, type NTSTATUS,
} from './ntstatus.js';

/**
 * Opens the folder `name` (volume-relative) on the volume of `from`, as requests on `from` are sent (its
 * filters, its place in the filter stack), and closes it again: its status, and the name the open settled
 * on (null when it failed).
 */
export type OpenTargetFolder = (from: FileObject, name: string) => Promise<{ status: NTSTATUS; fileName: string | null }>;

/**
 * The rename information to send: `information` with its folder spelled as that folder really is, or the
 * status to fail the rename with (that of the folder's open: a missing folder, one the filters refuse).
 * Information that is not a well-formed rename is returned as it is, for the file system to refuse.
 */
export async function settleRenameTarget(fileObject: FileObject, information: unknown, openFolder: OpenTargetFolder): Promise<{ information: unknown } | { status: NTSTATUS }> {
  if (!isRename(information) || !information.fileName.startsWith('\\')) return { information };
  const trailing = information.fileName.length > 1 && information.fileName.endsWith('\\') ? '\\' : '';
  const name = trailing === '' ? information.fileName : information.fileName.slice(0, -1);
  const cut = name.lastIndexOf('\\');
  const folder = name.slice(0, cut);
  if (folder === '' || folder === folderOf(fileObject.fileName)) return { information };
  const opened = await openFolder(fileObject, folder);
  if (!NT_SUCCESS(opened.status) || opened.fileName === null) return { status: missingFolder(opened.status) ? STATUS_OBJECT_PATH_NOT_FOUND : opened.status };
  const settled = opened.fileName.endsWith('\\') ? opened.fileName.slice(0, -1) : opened.fileName;
  return { information: { ...information, fileName: `${settled}${name.slice(cut)}${trailing}` } };
}

/** The folder part of a volume-relative name ('' for the root). */
function folderOf(fileName: string): string {
  const name = fileName.length > 1 && fileName.endsWith('\\') ? fileName.slice(0, -1) : fileName;
  return name.slice(0, Math.max(0, name.lastIndexOf('\\')));
}

/** A folder that is not there (or not a folder) fails the rename as the file system's own check does. */
function missingFolder(status: NTSTATUS): boolean {
  return status === STATUS_OBJECT_NAME_NOT_FOUND || status === STATUS_OBJECT_PATH_NOT_FOUND || status === STATUS_NOT_A_DIRECTORY;
}

function isRename(information: unknown): information is FileRenameInformation {
  return typeof information === 'object' && information !== null && typeof (information as { fileName?: unknown }).fileName === 'string';
}
