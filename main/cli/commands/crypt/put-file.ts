// `strata files put`: the source streams through the folder's stack into a copy beside the target (an
// ingest copy's name, main/agent/ingest/strata-names.ts: hidden from Strata's walks, and removed by the
// agent at its next start if a crash leaves it), which is saved and then renamed over the target. A put that
// fails part-way (the source ends in an error, a write or the save is refused, the process is stopped)
// leaves the old file as it was: before, the handle's close saved whatever had been written over it.
// Missing parent folders are created. The source is never held whole in memory.

import { posix } from 'node:path';
import type { FolderStack } from '../../../agent/folder-stack.js';
import { toVolumeRelative } from '../../../agent/folder-stack.js';
import { ingestName } from '../../../agent/ingest/strata-names.js';
import {
  FILE_CREATE, FILE_DIRECTORY_FILE, FILE_NON_DIRECTORY_FILE, FILE_OPEN, FILE_OPEN_IF, FileInformationClass, NT_SUCCESS,
  STATUS_OBJECT_NAME_INVALID, type FileHandle, type NTSTATUS,
} from '../../../io/index.js';

/** Bytes gathered from the source before each write through the stack. */
const WRITE_SIZE = 1 << 20;

export class PutError extends Error {
  constructor(readonly what: string, readonly path: string, readonly status: NTSTATUS) {
    super(`${what} ${path}`);
  }
}

function check(status: NTSTATUS, what: string, path: string): void {
  if (!NT_SUCCESS(status)) throw new PutError(what, path, status);
}

/** Writes `source` to `path` (folder-relative, '/'-separated) through `stack`; returns the byte count. */
export async function putFile(stack: FolderStack, path: string, source: AsyncIterable<Uint8Array>): Promise<number> {
  const parts = toVolumeRelative(path).split('\\').filter((part) => part !== '');
  if (parts.length === 0 || /[\\/]$/.test(path)) throw new PutError('cannot write', `${path || '/'} (a file's path, not a folder's)`, STATUS_OBJECT_NAME_INVALID);
  if (parts.includes('..')) throw new PutError('cannot write', `${path} (a path inside the folder cannot go up with '..')`, STATUS_OBJECT_NAME_INVALID);
  const name = parts.pop()!;
  const directory = parts.join('/');
  await createParents(stack, parts);
  const copy = posix.join(directory, ingestName(name, 'copy'));
  const handle = await open(stack, copy, FILE_CREATE, FILE_NON_DIRECTORY_FILE, 'cannot create a copy of');
  let written: number;
  try {
    written = await writeAll(stack, handle, source, path);
  } catch (error) {
    // Not saved: the copy is deleted with whatever it holds, and the target is untouched.
    await stack.api.setInformation(handle, FileInformationClass.FileDispositionInformation, { deleteFile: true });
    await stack.api.close(handle);
    throw error;
  }
  check((await stack.api.close(handle)).status, 'cannot save', path);
  const saved = await open(stack, copy, FILE_OPEN, FILE_NON_DIRECTORY_FILE, 'cannot reopen the copy of');
  const fileName = stack.pathOf(toVolumeRelative(posix.join(directory, name))).slice(stack.volumePath.length);
  const renamed = await stack.api.setInformation(saved, FileInformationClass.FileRenameInformation, { replaceIfExists: true, fileName });
  if (!NT_SUCCESS(renamed.status)) await stack.api.setInformation(saved, FileInformationClass.FileDispositionInformation, { deleteFile: true });
  await stack.api.close(saved);
  check(renamed.status, 'cannot put the new version in place of', path);
  return written;
}

async function open(stack: FolderStack, path: string, disposition: number, options: number, what: string): Promise<FileHandle> {
  const opened = await stack.api.createFile(stack.pathOf(toVolumeRelative(path)), { disposition, options });
  check(opened.status, what, path);
  return opened.handle!;
}

async function createParents(stack: FolderStack, parts: readonly string[]): Promise<void> {
  for (let depth = 1; depth <= parts.length; depth++) {
    const folder = parts.slice(0, depth).join('/');
    await stack.api.close(await open(stack, folder, FILE_OPEN_IF, FILE_DIRECTORY_FILE, 'cannot create the folder'));
  }
}

/** The source, gathered into WRITE_SIZE pieces, written front to back; returns the byte count. */
async function writeAll(stack: FolderStack, handle: FileHandle, source: AsyncIterable<Uint8Array>, path: string): Promise<number> {
  const piece = new Uint8Array(WRITE_SIZE);
  let filled = 0;
  let offset = 0;
  const flush = async () => {
    if (filled === 0) return;
    check((await stack.api.write(handle, piece.subarray(0, filled), offset)).status, 'cannot write', path);
    offset += filled;
    filled = 0;
  };
  for await (const chunk of source) {
    for (let from = 0; from < chunk.length; ) {
      const count = Math.min(chunk.length - from, WRITE_SIZE - filled);
      piece.set(chunk.subarray(from, from + count), filled);
      filled += count;
      from += count;
      if (filled === WRITE_SIZE) await flush();
    }
  }
  await flush();
  return offset;
}
