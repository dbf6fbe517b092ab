// The HSM test rig: a real data dir (SQLite, stub key), a real local tier, a real folder with files,
// the folder's policy (by default: everything, at once), and the folder opened through the full filter
// stack with the HSM on it and the I/O verifier on. Helpers go through the stack's upper edge.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  FILE_DIRECTORY_FILE, FILE_OPEN, FileInformationClass, NT_SUCCESS, STATUS_END_OF_FILE, STATUS_NO_MORE_FILES, statusName,
  type CreateOptions, type FileDirectoryInformation, type FileHandle, type FileStandardInformation, type NTSTATUS,
} from '../../../main/io/index.js';
import { openStore } from '../../../main/store/index.js';
import { openHsmSession, type HsmSession, type HsmSessionOptions } from '../../../main/cli/commands/hsm/hsm-session.js';
import { setFolderPolicy, type HsmPolicy } from '../../../filters/hsm/catalog/folder-policy.js';
import { addTier } from '../../../filters/hsm/tier/tier-config.js';
import type { HsmEvent } from '../../../filters/hsm/index.js';
import { migrateFolder } from '../../../filters/hsm/engine/migrate-folder.js';
import { tempDir } from './temp-dir.js';

export interface HsmRig {
  readonly root: string;
  readonly dataDir: string;
  readonly folder: string;
  readonly tierRoot: string;
  readonly events: HsmEvent[];
  session: HsmSession;
  /** Closes the session and opens the folder again (a restart). */
  reopen(options?: Partial<HsmSessionOptions>): Promise<HsmSession>;
}

type TestContext = Parameters<typeof tempDir>[0];

/** Files to create before the session opens: name → content; all given an old modification time. */
export type Files = Record<string, string | Uint8Array>;

export const OLD = new Date('2020-01-02T03:04:05.678Z');

export async function makeRig(t: TestContext, files: Files = {}, policy: Partial<HsmPolicy> = {}, options: Partial<HsmSessionOptions> = {}): Promise<HsmRig> {
  const root = await tempDir(t, 'hsmrig');
  const dataDir = join(root, 'data');
  const folder = join(root, 'folder');
  const tierRoot = join(root, 'cold');
  await mkdir(folder);
  for (const [name, content] of Object.entries(files)) await hostWrite(folder, name, content);
  const store = openStore(dataDir);
  try {
    await addTier(store.db, 'cold', tierRoot);
    setFolderPolicy(store.db, folder, { tier: 'cold', minAgeSeconds: 0, minSize: 0, ...policy });
  } finally {
    store.close();
  }
  const events: HsmEvent[] = [];
  const open = (more: Partial<HsmSessionOptions> = {}): Promise<HsmSession> =>
    openHsmSession({ dataDir, folder, verifier: true, events: (event) => events.push(event), ...options, ...more });
  const rig: HsmRig = {
    root, dataDir, folder, tierRoot, events,
    session: await open(),
    async reopen(more) {
      await rig.session.close();
      rig.session = await open(more);
      return rig.session;
    },
  };
  t.after(() => rig.session.close());
  return rig;
}

export async function hostWrite(folder: string, name: string, content: string | Uint8Array, time = OLD): Promise<void> {
  const path = join(folder, name);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  await utimes(path, time, time);
}

export const hostRead = (rig: HsmRig, name: string): Promise<Buffer> => readFile(join(rig.folder, name));

export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

export function expectStatus(actual: NTSTATUS, expected: NTSTATUS, what = ''): void {
  assert.equal(statusName(actual), statusName(expected), what);
}

export async function openFile(rig: HsmRig, name: string, options: CreateOptions = {}): Promise<FileHandle> {
  const { stack } = rig.session;
  const result = await stack.api.createFile(stack.pathOf(name), { disposition: FILE_OPEN, ...options });
  expectStatus(result.status, 0, `open ${name}`);
  return result.handle!;
}

export async function closeFile(rig: HsmRig, handle: FileHandle): Promise<void> {
  expectStatus((await rig.session.stack.api.close(handle)).status, 0, 'close');
}

export async function sizeOf(rig: HsmRig, handle: FileHandle): Promise<number> {
  const result = await rig.session.stack.api.queryInformation(handle, FileInformationClass.FileStandardInformation);
  expectStatus(result.status, 0, 'query standard information');
  return (result.info as FileStandardInformation).endOfFile;
}

/** The whole file through the stack (what a user sees), recalling it if it is a stub. */
export async function readThrough(rig: HsmRig, name: string, options: CreateOptions = {}): Promise<Buffer> {
  const handle = await openFile(rig, name, options);
  try {
    const size = await sizeOf(rig, handle);
    // An empty file is read too (answering STATUS_END_OF_FILE), so that a stub of one is recalled as well.
    const result = await rig.session.stack.api.read(handle, Math.max(size, 1), 0);
    expectStatus(result.status, size === 0 ? STATUS_END_OF_FILE : 0, `read ${name}`);
    return Buffer.from(result.data);
  } finally {
    await closeFile(rig, handle);
  }
}

export async function listThrough(rig: HsmRig, directory = ''): Promise<Map<string, FileDirectoryInformation>> {
  const { stack } = rig.session;
  const opened = await stack.api.createFile(stack.pathOf(directory), { options: FILE_DIRECTORY_FILE });
  expectStatus(opened.status, 0, `open directory ${directory}`);
  try {
    const result = await stack.api.queryDirectory(opened.handle!);
    if (result.status === STATUS_NO_MORE_FILES) return new Map();
    assert.ok(NT_SUCCESS(result.status), statusName(result.status));
    return new Map(result.info!.map((entry) => [entry.fileName, entry]));
  } finally {
    await stack.api.close(opened.handle!);
  }
}

/** Releases every eligible file now (a migration run with the rig's policy). */
export async function migrateAll(rig: HsmRig): Promise<void> {
  const summary = await migrateFolder(rig.session.volume);
  assert.equal(summary.failed, 0, JSON.stringify(summary.files.filter((file) => file.result === 'failed')));
}

/**
 * A rig holding `content` as big.bin, released, that calls `act` once, from inside the event sink (so in
 * the middle of the recall — between two chunks, or while a kernel copy runs), the first time it emits a
 * recall-progress event.
 */
export async function rigActingMidRecall(t: TestContext, content: Uint8Array, act: (rig: HsmRig) => void): Promise<HsmRig> {
  let acted = false;
  const rig: HsmRig = await makeRig(t, { 'big.bin': content }, {}, {
    events: (event) => {
      rig.events.push(event);
      if (acted || event.kind !== 'recall-progress') return;
      acted = true;
      act(rig);
    },
  });
  await migrateAll(rig);
  return rig;
}
