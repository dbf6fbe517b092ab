// Ingest meeting a file in cold storage (an HSM stub): what the folder's stack says of it without a
// recall (offline? its content encrypted?), and bringing it back when a protection must take its content
// in (crypt: plaintext migrated before the folder was encrypted). The recall is the HSM's own (copy,
// verify, fsync, and only then release the tier copy), so at no moment is neither copy durable.

import { FILE_ATTRIBUTE_ENCRYPTED, FILE_ATTRIBUTE_OFFLINE, FILE_NON_DIRECTORY_FILE, FILE_OPEN, FILE_OPEN_NO_RECALL, FileInformationClass, NT_SUCCESS } from '../../io/index.js';
import type { FolderStack } from '../folder-stack.js';
import { StackIoError, openThroughStack, withHandle } from './stack-file.js';
import type { ActiveProtection, IngestCandidate } from '../protections/provider.js';

export interface ColdState {
  /** The HSM lists it as a file in cold storage (FILE_ATTRIBUTE_OFFLINE). */
  readonly offline: boolean;
  /** Its content is an encrypted file (FILE_ATTRIBUTE_ENCRYPTED, told by crypt from the header alone). */
  readonly encrypted: boolean;
}

/**
 * The file's attributes through the whole stack, on an open that recalls nothing. A StackIoError when it
 * cannot be opened: with crypt in the stack, the header probe of a stub reads from the tier, which may be away.
 */
export async function coldStateOf(stack: FolderStack, relativePath: string): Promise<ColdState> {
  const handle = await openThroughStack(stack, relativePath, FILE_OPEN, FILE_OPEN_NO_RECALL | FILE_NON_DIRECTORY_FILE, true);
  return withHandle(stack, handle, relativePath, async () => {
    const basic = await stack.api.queryInformation(handle, FileInformationClass.FileBasicInformation);
    if (!NT_SUCCESS(basic.status) || basic.info == null) throw new StackIoError('querying the attributes of', relativePath, basic.status);
    const attributes = basic.info.fileAttributes;
    return { offline: (attributes & FILE_ATTRIBUTE_OFFLINE) !== 0, encrypted: (attributes & FILE_ATTRIBUTE_ENCRYPTED) !== 0 };
  });
}

/** The protections that may want a file in cold storage taken in (only they make ingest look at a stub's content). */
export function offlineTakers(protections: readonly ActiveProtection[]): ActiveProtection[] {
  return protections.filter((protection) => protection.takesInOffline !== undefined);
}

/** Whether a protection must have the content of this file in cold storage taken in (which recalls it). */
export function mustTakeInOffline(protections: readonly ActiveProtection[], candidate: IngestCandidate): boolean {
  return protections.some((protection) => protection.takesInOffline?.(candidate) === true);
}

/**
 * Brings the file back through the folder's HSM (its explicit recall, the path a read takes). Resolves
 * null once it is local, else says why not; the stub is then as it was (the HSM writes it back on any
 * failure) and its tier copy untouched.
 */
export async function bringBack(protections: readonly ActiveProtection[], relativePath: string): Promise<string | null> {
  const coldStorage = protections.find((protection) => protection.coldStorage !== undefined)?.coldStorage;
  if (coldStorage === undefined) return `${relativePath} is in cold storage, but the folder's HSM protection is not running to bring it back`;
  try {
    await coldStorage.recall(relativePath);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
