// One directory of a protected folder as applications see it through Strata: the listing goes down the
// folder's whole filter stack, so the crypt filter reports plaintext sizes and the HSM filter reports a
// stub at its file's real size with the offline attribute. A reparse point (a link, named pipe, socket or
// device on a local volume) is marked as such, with no size. Strata's own files are left out.

import {
  FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_ENCRYPTED, FILE_ATTRIBUTE_OFFLINE, FILE_ATTRIBUTE_REPARSE_POINT, FILE_DIRECTORY_FILE, FILE_OPEN,
  NT_SUCCESS, STATUS_NO_MORE_FILES, STATUS_NOT_A_DIRECTORY, STATUS_OBJECT_NAME_NOT_FOUND, STATUS_OBJECT_PATH_NOT_FOUND, statusName,
} from '../../io/index.js';
import { ApiRequestError, type FolderFile } from '../../api/index.js';
import { hostNameOf, hostRelativeOf } from '../../volumes/index.js';
import { toVolumeRelative, type FolderStack } from '../folder-stack.js';
import { isStrataPath } from '../ingest/strata-names.js';

export async function listThroughStack(stack: FolderStack, relativePath: string, isPinned: (path: string) => boolean): Promise<FolderFile[]> {
  // Names as the host spells them (a name with characters NT forbids is mapped on the volume only).
  const base = hostRelativeOf(toVolumeRelative(relativePath));
  const opened = await stack.api.createFile(stack.pathOf(base), { disposition: FILE_OPEN, options: FILE_DIRECTORY_FILE });
  if (opened.status === STATUS_OBJECT_NAME_NOT_FOUND || opened.status === STATUS_OBJECT_PATH_NOT_FOUND) {
    throw new ApiRequestError('not-found', `there is no folder ${base} here`, '$.path');
  }
  if (opened.status === STATUS_NOT_A_DIRECTORY) throw new ApiRequestError('invalid-request', `${base} is a file, not a folder`, '$.path');
  if (!NT_SUCCESS(opened.status)) throw new ApiRequestError('conflict', `cannot open ${base || 'the folder'} through Strata (${statusName(opened.status)})`, '$.path');
  const entries: FolderFile[] = [];
  try {
    for (let restart = true; ; restart = false) {
      const listed = await stack.api.queryDirectory(opened.handle!, null, restart);
      if (listed.status === STATUS_NO_MORE_FILES) break;
      if (!NT_SUCCESS(listed.status)) throw new ApiRequestError('conflict', `cannot list ${base || 'the folder'} through Strata (${statusName(listed.status)})`, '$.path');
      if ((listed.info ?? []).length === 0) break;
      for (const entry of listed.info ?? []) {
        if (entry.fileName === '.' || entry.fileName === '..') continue;
        const name = hostNameOf(entry.fileName);
        const path = base === '' ? name : `${base}/${name}`;
        if (isStrataPath(path)) continue;
        const directory = (entry.fileAttributes & FILE_ATTRIBUTE_DIRECTORY) !== 0;
        const reparse = (entry.fileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) !== 0;
        entries.push({
          name,
          path,
          directory,
          reparse,
          // A link is listed with its target's size, which is not data of its own.
          size: directory || reparse ? 0 : entry.endOfFile,
          offline: (entry.fileAttributes & FILE_ATTRIBUTE_OFFLINE) !== 0,
          encrypted: (entry.fileAttributes & FILE_ATTRIBUTE_ENCRYPTED) !== 0,
          pinned: isPinned(path),
          modifiedAt: new Date(entry.lastWriteTime).toISOString(),
        });
      }
    }
  } finally {
    await stack.api.close(opened.handle!);
  }
  // Folders first, then by name, as a file manager shows them.
  return entries.sort((a, b) => Number(b.directory) - Number(a.directory) || a.name.localeCompare(b.name, 'en'));
}
