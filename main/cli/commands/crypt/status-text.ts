// What an NTSTATUS from the crypt stack means to a person, for CLI messages that name the file concerned.

import { statusName, type NTSTATUS } from '../../../io/index.js';

const MEANINGS: Record<string, string> = {
  STATUS_FILE_CORRUPT_ERROR: 'the encrypted file is damaged (modified, truncated or extended); no plaintext was returned',
  STATUS_DECRYPTION_FAILED: "the file is encrypted to another key than this vault's",
  STATUS_FILE_ENCRYPTED: 'the vault is locked',
  STATUS_OBJECT_NAME_NOT_FOUND: 'no such file',
  STATUS_OBJECT_PATH_NOT_FOUND: 'no such folder',
  STATUS_ACCESS_DENIED: 'access denied (the vault folder is reserved to Strata)',
  STATUS_FILE_IS_A_DIRECTORY: 'it is a folder',
  STATUS_NOT_A_DIRECTORY: 'it is a file, not a folder',
  STATUS_OBJECT_NAME_INVALID: 'invalid name',
  STATUS_NAME_TOO_LONG: 'the name is too long for the file system',
};

export function describeStatus(status: NTSTATUS): string {
  const name = statusName(status);
  const meaning = MEANINGS[name];
  return meaning === undefined ? name : `${meaning} (${name})`;
}
