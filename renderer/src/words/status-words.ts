// NT status names in messages from the filters, rewritten as words ("STATUS_VIRUS_INFECTED" → "a virus
// was found"). Unknown names are left as they are rather than guessed at.

const WORDS: Record<string, string> = {
  STATUS_VIRUS_INFECTED: 'a virus was found in it',
  STATUS_FILE_IS_OFFLINE: 'it is in cold storage and could not be brought back',
  STATUS_FILE_ENCRYPTED: 'its folder is locked',
  STATUS_DECRYPTION_FAILED: 'it could not be decrypted (wrong key, or the file is damaged)',
  STATUS_FILE_CORRUPT_ERROR: 'the file is damaged',
  STATUS_ACCESS_DENIED: 'access was refused',
  STATUS_SHARING_VIOLATION: 'another program is using it',
  STATUS_OBJECT_NAME_NOT_FOUND: 'it does not exist',
  STATUS_OBJECT_PATH_NOT_FOUND: 'its folder does not exist',
  STATUS_OBJECT_NAME_COLLISION: 'a file with that name already exists',
  STATUS_OBJECT_NAME_INVALID: 'the name is not allowed',
  STATUS_DISK_FULL: 'the disk is full',
  STATUS_CANCELLED: 'it was cancelled',
  STATUS_IO_TIMEOUT: 'it took too long',
  STATUS_DEVICE_NOT_READY: 'the drive is not ready',
  STATUS_NO_MEDIA_IN_DEVICE: 'there is no disk in the drive',
  STATUS_VOLUME_DISMOUNTED: 'the drive was removed',
  STATUS_FILES_OPEN: 'files are still open',
  STATUS_DIRECTORY_NOT_EMPTY: 'the folder is not empty',
  STATUS_NOT_SUPPORTED: 'this is not supported',
  STATUS_INSUFFICIENT_RESOURCES: 'the computer ran out of memory',
};

export function plainStatusWords(text: string): string {
  return text.replace(/\bSTATUS_[A-Z_]+\b(?: \(0x[0-9A-Fa-f]{8}\))?/g, (name) => WORDS[name.split(' ')[0]!] ?? name);
}
