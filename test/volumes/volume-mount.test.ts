// Mount recognition and registration: each file system mounts only its own medium, a local root that is
// missing or not a directory is refused with a clear status, removable media stay marked, and filters
// watching for file systems are told about the Strata control devices.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  FILE_DEVICE_DISK_FILE_SYSTEM, FILE_REMOVABLE_MEDIA, IoManager, IoRegisterFsRegistrationChange, NtFileApi,
  NtStatusError, STATUS_INVALID_PARAMETER, STATUS_OBJECT_PATH_NOT_FOUND, STATUS_NO_MEDIA_IN_DEVICE, STATUS_UNRECOGNIZED_VOLUME, type DeviceObject,
} from '../../main/io/index.js';
import {
  createStorageDevice, registerLocalFileSystem, registerMemoryFileSystem, registerVolumeFileSystems, removeStorageDevice,
} from '../../main/volumes/index.js';
import { expectStatus } from './volume-harness.js';

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'strata-mount-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('a file system mounts only its own kind of medium (STATUS_UNRECOGNIZED_VOLUME otherwise)', async () => {
  await withTempDir(async (dir) => {
    const io = new IoManager({ verifier: true });
    registerMemoryFileSystem(io);
    createStorageDevice(io, { name: '\\Device\\Local1', source: { kind: 'local', root: dir } });
    const api = new NtFileApi(io);
    expectStatus((await api.createFile('\\Device\\Local1\\x')).status, STATUS_UNRECOGNIZED_VOLUME);
    registerLocalFileSystem(io);
    expectStatus((await api.createFile('\\Device\\Local1\\x', { disposition: 2 })).status, 0);
    io.assertNoLeakedIrps();
  });
});

test('a local root that is missing is STATUS_NO_MEDIA_IN_DEVICE; a file as root is STATUS_UNRECOGNIZED_VOLUME', async () => {
  await withTempDir(async (dir) => {
    const io = new IoManager({ verifier: true });
    registerVolumeFileSystems(io);
    const api = new NtFileApi(io);
    createStorageDevice(io, { name: '\\Device\\Missing', source: { kind: 'local', root: join(dir, 'nope') } });
    expectStatus((await api.createFile('\\Device\\Missing\\x')).status, STATUS_NO_MEDIA_IN_DEVICE);
    await writeFile(join(dir, 'file'), 'x');
    createStorageDevice(io, { name: '\\Device\\AFile', source: { kind: 'local', root: join(dir, 'file') } });
    expectStatus((await api.createFile('\\Device\\AFile\\x')).status, STATUS_UNRECOGNIZED_VOLUME);
    io.assertNoLeakedIrps();
  });
});

test('createStorageDevice refuses a relative root or an unknown kind, naming the input', () => {
  const io = new IoManager({ verifier: true });
  assert.throws(
    () => createStorageDevice(io, { name: '\\Device\\Rel', source: { kind: 'local', root: 'relative/dir' } }),
    (error: unknown) => error instanceof NtStatusError && error.status === STATUS_INVALID_PARAMETER && /source\.root.*relative\/dir/.test(error.message),
  );
  assert.throws(
    () => createStorageDevice(io, { name: '\\Device\\Odd', source: { kind: 'tape' } as never }),
    (error: unknown) => error instanceof NtStatusError && /source\.kind.*tape/.test(error.message),
  );
  io.assertNoLeakedIrps();
});

test('a removable storage device mounts as a removable volume device', async () => {
  const io = new IoManager({ verifier: true });
  registerVolumeFileSystems(io);
  const storage = createStorageDevice(io, { name: '\\Device\\Usb1', source: { kind: 'memory' }, removable: true });
  assert.ok(storage.characteristics & FILE_REMOVABLE_MEDIA);
  const api = new NtFileApi(io);
  const created = await api.createFile('\\Device\\Usb1\\f', { disposition: 2 });
  await api.close(created.handle!);
  assert.ok(storage.vpb!.deviceObject!.characteristics & FILE_REMOVABLE_MEDIA);
  expectStatus(await removeStorageDevice(io, storage), 0);
  assert.equal(storage.deleted, true);
  expectStatus((await api.createFile('\\Device\\Usb1\\f')).status, STATUS_OBJECT_PATH_NOT_FOUND, 'the device is gone');
  io.assertNoLeakedIrps();
});

test('registration is idempotent and file-system watchers see both control devices', () => {
  const io = new IoManager({ verifier: true });
  const seen: DeviceObject[] = [];
  IoRegisterFsRegistrationChange(io.createDriver('\\Driver\\Watcher'), (device, active) => {
    if (active) seen.push(device);
  });
  const first = registerVolumeFileSystems(io);
  const second = registerVolumeFileSystems(io);
  assert.equal(first.memory, second.memory);
  assert.equal(first.local, second.local);
  assert.deepEqual(seen.map((d) => d.name), ['\\FileSystem\\StrataMemory', '\\FileSystem\\StrataLocal']);
  assert.ok(seen.every((d) => d.deviceType === FILE_DEVICE_DISK_FILE_SYSTEM));
  first.memory.unregister();
  assert.equal(first.memory.controlDevice.deleted, true);
  assert.notEqual(registerMemoryFileSystem(io), first.memory);
  io.assertNoLeakedIrps();
});
