// Small helpers for the agent's own file I/O through a folder's filter stack: each turns a failed NTSTATUS
// into a StackIoError naming the operation, the file and the status, and always closes what it opened.

import {
  FILE_CREATE, FILE_DIRECTORY_FILE, FILE_OPEN, FileInformationClass, NT_SUCCESS, statusName, type FileHandle,
  type NTSTATUS,
} from '../../io/index.js';
import type { FolderStack } from '../folder-stack.js';

export class StackIoError extends Error {
  override readonly name = 'StackIoError';
  constructor(readonly operation: string, readonly relativePath: string, readonly status: NTSTATUS) {
    super(`${operation} ${relativePath} through the stack failed: ${statusName(status)}`);
  }
}

function check(status: NTSTATUS, operation: string, relativePath: string): void {
  if (!NT_SUCCESS(status)) throw new StackIoError(operation, relativePath, status);
}

/**
 * `internal`: Strata's own open, which the scan filter does not scan (the agent reopening its own ingest
 * copy, already scanned as it was written; scanning it again would also need an encrypted folder's key).
 */
export async function openThroughStack(stack: FolderStack, relativePath: string, disposition = FILE_OPEN, options = 0, internal = false): Promise<FileHandle> {
  const opened = await stack.api.createFile(stack.pathOf(relativePath), { disposition, options, internal });
  check(opened.status, 'opening', relativePath);
  return opened.handle!;
}

/** Runs `fn` on an open handle and closes it whatever happens; a failed close is an error too. */
export async function withHandle<T>(stack: FolderStack, handle: FileHandle, relativePath: string, fn: (handle: FileHandle) => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await fn(handle);
  } catch (error) {
    await stack.api.close(handle);
    throw error;
  }
  check((await stack.api.close(handle)).status, 'closing', relativePath);
  return result;
}

export async function createThroughStack(stack: FolderStack, relativePath: string): Promise<FileHandle> {
  return openThroughStack(stack, relativePath, FILE_CREATE);
}

export async function writeThroughStack(stack: FolderStack, handle: FileHandle, data: Uint8Array, offset: number, relativePath: string): Promise<void> {
  check((await stack.api.write(handle, data, offset)).status, 'writing', relativePath);
}

export async function renameThroughStack(stack: FolderStack, handle: FileHandle, to: string, relativePath: string): Promise<void> {
  const fileName = stack.pathOf(to).slice(stack.volumePath.length);
  check((await stack.api.setInformation(handle, FileInformationClass.FileRenameInformation, { replaceIfExists: true, fileName })).status, 'renaming', relativePath);
}

/** Gives the file the access and write times of the file it stands for (an ingest must not make a cold file look new). */
export async function setTimesThroughStack(stack: FolderStack, handle: FileHandle, times: { atimeMs: number; mtimeMs: number }, relativePath: string): Promise<void> {
  const update = { lastAccessTime: times.atimeMs, lastWriteTime: times.mtimeMs };
  check((await stack.api.setInformation(handle, FileInformationClass.FileBasicInformation, update)).status, 'setting the times of', relativePath);
}

/** fsync of a directory of the folder through the stack ('' is the folder itself), so that a rename in it is durable. */
export async function flushDirectoryThroughStack(stack: FolderStack, relativeDirectory: string): Promise<void> {
  const opened = await stack.api.createFile(stack.pathOf(relativeDirectory), { disposition: FILE_OPEN, options: FILE_DIRECTORY_FILE, internal: true });
  const name = relativeDirectory === '' ? 'the folder' : relativeDirectory;
  check(opened.status, 'opening', name);
  await withHandle(stack, opened.handle!, name, async (handle) => check((await stack.api.flush(handle)).status, 'flushing', name));
}

/** Deletes a file through the stack (best effort: a temp file left behind is swept at the next start). */
export async function deleteThroughStack(stack: FolderStack, relativePath: string): Promise<boolean> {
  const opened = await stack.api.createFile(stack.pathOf(relativePath), { disposition: FILE_OPEN, internal: true });
  if (!NT_SUCCESS(opened.status)) return false;
  const set = await stack.api.setInformation(opened.handle!, FileInformationClass.FileDispositionInformation, { deleteFile: true });
  const closed = await stack.api.close(opened.handle!);
  return NT_SUCCESS(set.status) && NT_SUCCESS(closed.status);
}
