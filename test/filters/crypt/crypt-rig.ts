// A protected folder for tests: a real temp folder behind the full filter stack (verifier on) with the
// crypt filter, a key ring holding a fresh identity (the vault's file format is tested separately), and
// helpers that read and write through Strata and look at the ciphertext on disk.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X25519Identity, loadSodium, type Sodium } from '../../../main/age/index.js';
import { openFolderStack, type FolderStack } from '../../../main/agent/folder-stack.js';
import {
  FILE_DIRECTORY_FILE, FILE_OPEN, FILE_OPEN_IF, FILE_OVERWRITE_IF, NT_SUCCESS, STATUS_END_OF_FILE, STATUS_SUCCESS, statusName,
  type FileHandle, type NTSTATUS,
} from '../../../main/io/index.js';
import { CryptoPool } from '../../../filters/crypt/crypto-pool.js';
import { registerCryptFilter, type CryptFilter, type CryptFilterOptions } from '../../../filters/crypt/index.js';
import { KeyRing } from '../../../filters/crypt/key-ring.js';
import type { CryptVolume } from '../../../filters/crypt/crypt-volume.js';

export interface CryptRig {
  folder: string;
  stack: FolderStack;
  crypt: CryptFilter;
  keyRing: KeyRing;
  identity: X25519Identity;
  sodium: Sodium;
  pool: CryptoPool;
  open(path: string, disposition?: number): Promise<FileHandle>;
  put(path: string, data: Uint8Array): Promise<void>;
  get(path: string): Promise<Uint8Array>;
  /** The status a full read fails with (or STATUS_SUCCESS). */
  readStatus(path: string): Promise<NTSTATUS>;
  onDisk(path: string): Promise<Uint8Array>;
  /** Mounts the folder's volume (opening its root) and returns the crypt filter's state on it. */
  volume(): Promise<CryptVolume>;
  close(): Promise<void>;
}

export interface RigOptions {
  folder?: string;
  lockedWaitMs?: number;
  autoLockMs?: number;
  locked?: boolean;
  threads?: number;
  /** The vault key to use (default: a fresh one). */
  identity?: X25519Identity;
  onTempSweep?: CryptFilterOptions['onTempSweep'];
}

export async function openCryptRig(options: RigOptions = {}): Promise<CryptRig> {
  const sodium = await loadSodium();
  const folder = options.folder ?? (await mkdtemp(join(tmpdir(), 'strata-crypt-')));
  const identity = options.identity ?? X25519Identity.generate(sodium);
  const keyRing = new KeyRing(identity.recipient(), options.autoLockMs ?? 0);
  // The ring gets its own copy: a lock wipes it, the rig keeps the original for unlocking again.
  if (!options.locked) keyRing.unlock(X25519Identity.parse(sodium, identity.toString()));
  const pool = await CryptoPool.create(options.threads ?? 2);
  let crypt: CryptFilter | undefined;
  const stack = await openFolderStack(folder, {
    verifier: true,
    setup: (manager) => {
      crypt = registerCryptFilter(manager, { sodium, keyRing, pool, lockedWaitMs: options.lockedWaitMs ?? 5000, onTempSweep: options.onTempSweep });
    },
  });
  const open = async (path: string, disposition = FILE_OPEN_IF): Promise<FileHandle> => {
    const result = await stack.api.createFile(stack.pathOf(path), { disposition });
    assert.equal(statusName(result.status), statusName(STATUS_SUCCESS), `open ${path}`);
    return result.handle!;
  };
  return {
    folder, stack, crypt: crypt!, keyRing, identity, sodium, pool, open,
    async put(path, data) {
      const handle = await open(path, FILE_OVERWRITE_IF);
      for (let offset = 0; offset < data.length; offset += 1 << 20) {
        const written = await stack.api.write(handle, data.subarray(offset, offset + (1 << 20)), offset);
        assert.equal(statusName(written.status), 'STATUS_SUCCESS');
      }
      const closed = await stack.api.close(handle);
      assert.equal(statusName(closed.status), 'STATUS_SUCCESS', `save ${path}`);
    },
    async get(path) {
      const handle = await open(path, FILE_OPEN);
      const parts: Uint8Array[] = [];
      for (let offset = 0; ; ) {
        const result = await stack.api.read(handle, 1 << 20, offset);
        if (result.status === STATUS_END_OF_FILE) break;
        assert.equal(statusName(result.status), 'STATUS_SUCCESS', `read ${path} at ${offset}`);
        parts.push(result.data.slice());
        offset += result.information;
      }
      await stack.api.close(handle);
      return new Uint8Array(Buffer.concat(parts));
    },
    async readStatus(path) {
      const handle = await open(path, FILE_OPEN);
      let status: NTSTATUS = STATUS_SUCCESS;
      for (let offset = 0; ; ) {
        const result = await stack.api.read(handle, 1 << 20, offset);
        if (result.status === STATUS_END_OF_FILE) break;
        if (!NT_SUCCESS(result.status)) {
          status = result.status;
          assert.equal(result.data.length, 0, 'no plaintext comes back with a failure');
          break;
        }
        offset += result.information;
      }
      await stack.api.close(handle);
      return status;
    },
    onDisk: async (path) => new Uint8Array(await readFile(join(folder, path))),
    async volume() {
      const root = await stack.api.createFile(stack.pathOf(''), { disposition: FILE_OPEN, options: FILE_DIRECTORY_FILE });
      await stack.api.close(root.handle!);
      return [...crypt!.volumes.values()][0]!;
    },
    async close() {
      // The sweep of leftover temporary files begun at mount does I/O of its own: let it end first.
      await crypt!.idle();
      await stack.close();
      await pool.close();
      if (options.folder === undefined) await rm(folder, { recursive: true, force: true });
    },
  };
}

export function bytes(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed * 2654435761;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}
