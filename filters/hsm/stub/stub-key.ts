// The stub MAC key: 32 random bytes in <data dir>/hsm-stub.key, owner-only (0600). Created once,
// atomically (temp file, fsync, hard link: two processes racing both end up with the winner's key); a
// key file others can read, or of the wrong length, is refused with a message naming the file.

import { randomBytes } from 'node:crypto';
import { link, open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDirectory } from '../../../main/store/index.js';

export const STUB_KEY_FILE = 'hsm-stub.key';
const KEY_BYTES = 32;

export class StubKeyError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`HSM stub key ${path}: ${reason}`);
    this.name = 'StubKeyError';
  }
}

export async function loadOrCreateStubKey(dataDir: string): Promise<Uint8Array> {
  const path = join(dataDir, STUB_KEY_FILE);
  try {
    return await readKey(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await createKey(dataDir, path);
  return readKey(path);
}

async function readKey(path: string): Promise<Uint8Array> {
  const info = await stat(path);
  if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
    throw new StubKeyError(path, `is readable by others (mode ${(info.mode & 0o777).toString(8)}); run chmod 600 on it`);
  }
  const key = await readFile(path);
  if (key.length !== KEY_BYTES) throw new StubKeyError(path, `holds ${key.length} bytes, expected ${KEY_BYTES}: it is damaged or not a stub key`);
  return new Uint8Array(key);
}

async function createKey(dataDir: string, path: string): Promise<void> {
  const temp = join(dataDir, `.${STUB_KEY_FILE}.${randomBytes(6).toString('hex')}.tmp`);
  const file = await open(temp, 'wx', 0o600);
  try {
    await file.writeFile(randomBytes(KEY_BYTES));
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await link(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temp);
  }
  await syncDirectory(dataDir);
}
