// The recall's offloaded copy: on a local volume the HSM sends FSCTL_STRATA_COPY_FROM_HOST_FILE below
// itself and the host's kernel copies the local tier's object into the stub's own file while the HSM
// hashes the object; the content must match the stub's SHA-256 before the recall counts, or the stub is
// written back. On a volume that cannot copy host files (the in-memory one) the recall streams instead.

import assert from 'node:assert/strict';
import { readdirSync, renameSync, truncateSync } from 'node:fs';
import { chmod, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FilterManager } from '../../../main/fltmgr/index.js';
import {
  FILE_CREATE, IoManager, NtFileApi, STATUS_FILE_CORRUPT_ERROR, STATUS_FILE_IS_OFFLINE,
} from '../../../main/io/index.js';
import { openStore } from '../../../main/store/index.js';
import { createStorageDevice, registerVolumeFileSystems, removeStorageDevice } from '../../../main/volumes/index.js';
import { setFolderPolicy } from '../../../filters/hsm/catalog/folder-policy.js';
import { migrateFolder } from '../../../filters/hsm/engine/migrate-folder.js';
import { openHsmFolder, type HsmStack } from '../../../filters/hsm/hsm-folder.js';
import type { HsmEvent } from '../../../filters/hsm/index.js';
import { addTier } from '../../../filters/hsm/tier/tier-config.js';
import { OLD, closeFile, expectStatus, hostRead, makeRig, migrateAll, openFile, readThrough, rigActingMidRecall, type HsmRig } from './hsm-rig.js';
import { tempDir } from './temp-dir.js';

/** Several hash chunks (8 MiB each), so that an act on the first progress event comes before the copy is verified. */
const LARGE = Buffer.alloc(30 << 20);
for (let i = 0; i < LARGE.length; i += 4096) LARGE.writeUInt32LE(i, i);

async function tierObjects(rig: HsmRig): Promise<string[]> {
  const ids: string[] = [];
  for (const prefix of await readdir(join(rig.tierRoot, 'objects'))) ids.push(...(await readdir(join(rig.tierRoot, 'objects', prefix))));
  return ids;
}

function objectPath(rig: HsmRig, id: string): string {
  return join(rig.tierRoot, 'objects', id.slice(0, 2), id);
}


async function expectStubKept(rig: HsmRig, stub: Buffer, status: number): Promise<void> {
  const before = await stat(join(rig.folder, 'big.bin'));
  const handle = await openFile(rig, 'big.bin');
  expectStatus((await rig.session.stack.api.read(handle, 10, 0)).status, status);
  await closeFile(rig, handle);
  assert.deepEqual(await hostRead(rig, 'big.bin'), stub, 'the stub was written back, byte for byte');
  const after = await stat(join(rig.folder, 'big.bin'));
  assert.equal(after.mtimeMs, before.mtimeMs, 'and its times');
  assert.equal(after.mode, before.mode, 'and its mode');
  assert.deepEqual(rig.session.volume.journal.pending(), []);
  assert.equal(rig.session.volume.catalog.all().length, 1, 'still cataloged as a stub');
  assert.ok(!rig.events.some((event) => event.kind === 'recall-done'));
}

describe('recall by kernel copy (FSCTL_STRATA_COPY_FROM_HOST_FILE)', () => {
  it('a read of a stub on a local volume is recalled by the kernel copy: content, times and mode intact', async (t) => {
    const rig = await makeRig(t, { 'big.bin': LARGE });
    await migrateAll(rig);
    await chmod(join(rig.folder, 'big.bin'), 0o640);
    const reader = await openFile(rig, 'big.bin');
    const read = await rig.session.stack.api.read(reader, LARGE.length, 0);
    expectStatus(read.status, 0);
    assert.ok(Buffer.from(read.data).equals(LARGE), 'the reader that caused the recall gets the whole file');
    await closeFile(rig, reader);
    await rig.session.volume.idle();
    const done = rig.events.find((event): event is Extract<HsmEvent, { kind: 'recall-done' }> => event.kind === 'recall-done');
    assert.equal(done?.copy, 'offloaded');
    assert.ok((await hostRead(rig, 'big.bin')).equals(LARGE));
    const stats = await stat(join(rig.folder, 'big.bin'));
    assert.equal(Math.round(stats.mtimeMs), OLD.getTime());
    assert.equal(stats.mode & 0o777, 0o640, 'the file keeps its own (the stub\'s) mode, not the tier object\'s');
    assert.deepEqual(await tierObjects(rig), [], 'the tier copy went');
  });

  it('a cold copy of the right size but wrong content is detected by the hash: nothing changes', async (t) => {
    const rig = await makeRig(t, { 'big.bin': LARGE });
    await migrateAll(rig);
    const stub = await hostRead(rig, 'big.bin');
    const [object] = await tierObjects(rig);
    const damaged = Buffer.from(LARGE);
    damaged[LARGE.length - 5] ^= 0xff;
    await writeFile(objectPath(rig, object!), damaged);
    await expectStubKept(rig, stub, STATUS_FILE_CORRUPT_ERROR);
    assert.ok(rig.events.some((event) => event.kind === 'recall-failed' && /does not match the stub's SHA-256/.test(event.message)));
  });

  it('the tier removed in the middle of the copy: STATUS_FILE_IS_OFFLINE, the stub kept; back, the recall works', async (t) => {
    const rig = await rigActingMidRecall(t, LARGE, (self) => renameSync(self.tierRoot, `${self.tierRoot}-gone`));
    const stub = await hostRead(rig, 'big.bin');
    await expectStubKept(rig, stub, STATUS_FILE_IS_OFFLINE);
    renameSync(`${rig.tierRoot}-gone`, rig.tierRoot);
    assert.ok((await readThrough(rig, 'big.bin')).equals(LARGE));
  });

  it('a cold copy cut short under the copy (a failing disk) never reaches the file', async (t) => {
    const rig = await rigActingMidRecall(t, LARGE, (self) => {
      const objects = join(self.tierRoot, 'objects');
      for (const prefix of readdirSync(objects)) for (const id of readdirSync(join(objects, prefix))) truncateSync(join(objects, prefix, id), 1 << 20);
    });
    const stub = await hostRead(rig, 'big.bin');
    await expectStubKept(rig, stub, STATUS_FILE_CORRUPT_ERROR);
  });
});

/** The HSM over an in-memory volume (which cannot copy host files), with a real local tier and store. */
async function memorySession(t: Parameters<typeof tempDir>[0], events: HsmEvent[]) {
  const root = await tempDir(t, 'hsm-memory');
  const dataDir = join(root, 'data');
  const folder = join(root, 'folder');
  await mkdir(folder);
  const store = openStore(dataDir);
  try {
    await addTier(store.db, 'cold', join(root, 'cold'));
    setFolderPolicy(store.db, folder, { tier: 'cold', minAgeSeconds: 0, minSize: 0 });
  } finally {
    store.close();
  }
  const session = await openHsmFolder({
    dataDir,
    folder,
    verifier: true,
    events: (event) => events.push(event),
    openStack: async (_folder, options): Promise<HsmStack> => {
      const io = new IoManager({ verifier: options.verifier ?? true });
      const manager = new FilterManager(io);
      registerVolumeFileSystems(io);
      await options.setup(manager, io);
      const volumePath = '\\Device\\StrataHsmMemory';
      const storage = createStorageDevice(io, { name: volumePath, source: { kind: 'memory' } });
      return {
        io,
        api: new NtFileApi(io),
        volumePath,
        pathOf: (relative) => (relative === '' ? volumePath : `${volumePath}\\${relative}`),
        close: async () => {
          await removeStorageDevice(io, storage);
          io.assertNoLeakedIrps();
        },
      };
    },
  });
  t.after(() => session.close());
  return session;
}

describe('recall where the volume cannot copy host files', () => {
  it('an in-memory volume refuses the kernel copy (STATUS_INVALID_DEVICE_REQUEST): the recall streams, content intact', async (t) => {
    const events: HsmEvent[] = [];
    const session = await memorySession(t, events);
    const { api } = session.stack;
    const created = await api.createFile(session.stack.pathOf('big.bin'), { disposition: FILE_CREATE });
    expectStatus(created.status, 0);
    expectStatus((await api.write(created.handle!, LARGE, 0)).status, 0);
    await api.close(created.handle!);
    const summary = await migrateFolder(session.volume);
    assert.equal(summary.released, 1, JSON.stringify(summary.files));
    const opened = await api.createFile(session.stack.pathOf('big.bin'), {});
    expectStatus(opened.status, 0);
    const read = await api.read(opened.handle!, LARGE.length, 0);
    expectStatus(read.status, 0);
    assert.ok(Buffer.from(read.data).equals(LARGE));
    await api.close(opened.handle!);
    const done = events.find((event): event is Extract<HsmEvent, { kind: 'recall-done' }> => event.kind === 'recall-done');
    assert.equal(done?.copy, 'streamed');
  });
});
