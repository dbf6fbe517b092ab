// Small helpers for the agent's own file I/O through a folder's filter stack: each turns a failed NTSTATUS
// into a StackIoError naming the operation, the file and the status, and always closes what it opened.

import { randomBytes } from 'node:crypto';
import {
  FILE_CREATE, FILE_OPEN, FileInformationClass, NT_SUCCESS, statusName, type FileHandle,
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

export async function openThroughStack(stack: FolderStack, relativePath: string, disposition = FILE_OPEN, options = 0): Promise<FileHandle> {
  const opened = await stack.api.createFile(stack.pathOf(relativePath), { disposition, options });
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

/** Deletes a file through the stack (best effort: a temp file left behind is swept at the next start). */
export async function deleteThroughStack(stack: FolderStack, relativePath: string): Promise<boolean> {
  const opened = await stack.api.createFile(stack.pathOf(relativePath), { disposition: FILE_OPEN });
  if (!NT_SUCCESS(opened.status)) return false;
  const set = await stack.api.setInformation(opened.handle!, FileInformationClass.FileDispositionInformation, { deleteFile: true });
  const closed = await stack.api.close(opened.handle!);
  return NT_SUCCESS(set.status) && NT_SUCCESS(closed.status);
}

export function randomSuffix(): string {
  return randomBytes(6).toString('hex');
}
