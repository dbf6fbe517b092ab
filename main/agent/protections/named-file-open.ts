// Opens the file a pin, unpin or recall names, through the folder's stack, as that very file. Cold storage
// acts on a file by its own name: a symbolic link (to a file or folder inside, leading outside, or
// dangling), a path through a folder link, a named pipe, a socket or a device node is refused with an
// ApiRequestError naming the path and what it is. Otherwise a recall through a link would bring back
// another file than the one named, and a pin would hold a name that migration never looks at (it skips
// reparse points), leaving the link's target free to go.
//
// The host is asked first (lstat, never following a link), so such a name is not even opened. The stack
// then has the last word, on the handle itself: the volume reparses an open through a link to the file's
// own name (STATUS_REPARSE) and refuses to open a pipe, socket or device (STATUS_IO_REPARSE_TAG_NOT_HANDLED),
// so a link planted after the host was asked is caught too — a handle is handed out only when it was
// opened under the very name asked for.

import { FILE_OPEN, STATUS_IO_REPARSE_TAG_NOT_HANDLED, type CreateResult } from '../../io/index.js';
import { ApiRequestError } from '../../api/index.js';
import { hostRelativeOf } from '../../volumes/index.js';
import { toVolumeRelative, type FolderStack } from '../folder-stack.js';
import { specialEntryOnTheWay } from './host-entry-kind.js';

/**
 * The create of `relativePath` (FILE_OPEN, with `options`) on the folder's stack. Its status is the
 * caller's to judge (not found, sharing, ...); a link or special file on the way throws instead.
 */
export async function openNamedFile(stack: FolderStack, relativePath: string, options = 0): Promise<CreateResult> {
  const named = toVolumeRelative(relativePath);
  const shown = shownPath(named, relativePath);
  await refuseSpecialOnHost(stack, shown);
  const opened = await stack.api.createFile(stack.pathOf(relativePath), { disposition: FILE_OPEN, options });
  const reached = opened.handle?.fileObject.fileName;
  if (reached !== undefined && reached !== named) {
    await stack.api.close(opened.handle!);
    await refuseSpecialOnHost(stack, shown);
    throw refusal(`${shown} leads to ${shownPath(reached, reached) || 'the folder itself'} through a symbolic link: ${LINK_ADVICE}`);
  }
  if (opened.status === STATUS_IO_REPARSE_TAG_NOT_HANDLED) {
    await refuseSpecialOnHost(stack, shown);
    throw refusal(`${shown} is a named pipe, socket or device, not a file: ${SPECIAL_ADVICE}`);
  }
  return opened;
}

const LINK_ADVICE = 'cold storage keeps and brings back a file by its own name; name the file it leads to';
const SPECIAL_ADVICE = 'it has no content to keep local or bring back';

/** Throws the refusal when the host shows a link, pipe, socket or device on the way to `shown`. */
async function refuseSpecialOnHost(stack: FolderStack, shown: string): Promise<void> {
  const found = await specialEntryOnTheWay(stack.folder, shown);
  if (found === null) return;
  const advice = found.link ? LINK_ADVICE : SPECIAL_ADVICE;
  if (found.at === shown) throw refusal(`${shown} is ${found.kind}, not a file: ${advice}`);
  throw refusal(`${shown} goes through ${found.at}, ${found.kind}: ${advice}`);
}

/** A volume path as the host spells it, 'dir/a:b' (as the folder listing shows it); `fallback` when no host name maps to it. */
function shownPath(volumeRelative: string, fallback: string): string {
  try {
    return hostRelativeOf(volumeRelative);
  } catch {
    return fallback.replace(/\\/g, '/');
  }
}

function refusal(message: string): ApiRequestError {
  return new ApiRequestError('invalid-request', message, '$.path');
}
