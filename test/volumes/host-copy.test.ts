// FSCTL_STRATA_TRUST_COPY_SOURCE and FSCTL_STRATA_COPY_FROM_HOST_FILE: the local volume fills an open
// file from a host file below a trusted directory (every open of the file sees it, its mode stays); the
// memory volume cannot (STATUS_INVALID_DEVICE_REQUEST, the caller streams instead). Who may ask: a
// kernel-mode requestor only — from the upper edge (user mode) both are STATUS_ACCESS_DENIED — and
// what from: only files below a directory the volume was told to trust, never one a link, a '..' or a
// FIFO leads to, never the volume's own files. Every refusal leaves the target as it was.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { statSync, truncateSync } from 'node:fs';
import { chmod, mkdir, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  FILE_CREATE, FILE_DIRECTORY_FILE, FSCTL_STRATA_COPY_FROM_HOST_FILE, FSCTL_STRATA_TRUST_COPY_SOURCE,
  IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MN_USER_FS_REQUEST, IoAllocateIrp, IoGetRelatedDeviceObject, STATUS_ACCESS_DENIED,
  STATUS_FILE_CORRUPT_ERROR, STATUS_INVALID_DEVICE_REQUEST, STATUS_INVALID_PARAMETER, sendRequest, type FileHandle, type IoResult,
} from '../../main/io/index.js';
import { localVolumeFactory, memoryVolumeFactory, type VolumeUnderTest } from './volume-factories.js';
import { decode, expectStatus, getFile, mustClose, mustOpen, putFile, text, volumeTest } from './volume-harness.js';

/** What a filter's own FltFsControlFile sends: a kernel-mode IRP (IoAllocateIrp's requestor mode). */
async function kernelFsControl(v: VolumeUnderTest, handle: FileHandle, code: number, input: Uint8Array): Promise<IoResult> {
  const device = IoGetRelatedDeviceObject(handle.fileObject);
  const irp = IoAllocateIrp(v.io, device.stackSize);
  irp.originalFileObject = handle.fileObject;
  irp.inputBuffer = input;
  const loc = irp.stack[0]!;
  loc.majorFunction = IRP_MJ_FILE_SYSTEM_CONTROL;
  loc.minorFunction = IRP_MN_USER_FS_REQUEST;
  loc.fileObject = handle.fileObject;
  loc.parameters = { fileSystemControl: { fsControlCode: code, inputBufferLength: input.length, outputBufferLength: 0 } };
  const result = await sendRequest(device, irp);
  return { status: result.status, information: result.information };
}

function copyRequest(source: string, byteCount: number): Uint8Array {
  const path = text(source);
  const input = new Uint8Array(8 + path.length);
  new DataView(input.buffer).setBigUint64(0, BigInt(byteCount), true);
  input.set(path, 8);
  return input;
}

const trust = (v: VolumeUnderTest, handle: FileHandle, directory: string) => kernelFsControl(v, handle, FSCTL_STRATA_TRUST_COPY_SOURCE, text(directory));
const copyIn = (v: VolumeUnderTest, handle: FileHandle, source: string, byteCount: number) =>
  kernelFsControl(v, handle, FSCTL_STRATA_COPY_FROM_HOST_FILE, copyRequest(source, byteCount));

/** A "tier" folder beside the volume root holding `object`, and a folder beside it that is not trusted. */
async function hostFolders(v: VolumeUnderTest): Promise<{ tier: string; object: string; outside: string; secret: string }> {
  const base = dirname(v.hostRoot!);
  const tier = join(base, 'tier');
  const outside = join(base, 'outside');
  await mkdir(tier);
  await mkdir(outside);
  await writeFile(join(tier, 'object'), 'cold content');
  await writeFile(join(outside, 'secret'), 'top secret');
  return { tier, object: join(tier, 'object'), outside, secret: join(outside, 'secret') };
}

const local = localVolumeFactory();
const memory = memoryVolumeFactory();

volumeTest('local volume: a trusted host file is copied into an open file; every open sees it; the file keeps its mode', local, async (v) => {
  const { tier } = await hostFolders(v);
  const content = randomBytes(3 << 20);
  await writeFile(join(tier, 'big'), content);
  await putFile(v, '\\stub.bin', 'a small stub');
  await chmod(join(v.hostRoot!, 'stub.bin'), 0o640);
  const reader = await mustOpen(v, '\\stub.bin');
  const writer = await mustOpen(v, '\\stub.bin');
  expectStatus((await trust(v, writer, tier)).status, 0, 'trust');
  const copied = await copyIn(v, writer, join(tier, 'big'), content.length);
  expectStatus(copied.status, 0, 'copy');
  assert.equal(copied.information, content.length);
  const seen = await v.api.read(reader, content.length, 0);
  expectStatus(seen.status, 0);
  assert.ok(Buffer.from(seen.data).equals(content), 'the other open reads the copied bytes');
  assert.equal((await stat(join(v.hostRoot!, 'stub.bin'))).mode & 0o777, 0o640);
  await mustClose(v, reader);
  await mustClose(v, writer);
  assert.ok(Buffer.from(await getFile(v, '\\stub.bin')).equals(content));
});

volumeTest('both controls from user mode (the upper edge) are STATUS_ACCESS_DENIED, and change nothing', local, async (v) => {
  const { tier, object } = await hostFolders(v);
  await putFile(v, '\\f', 'mine');
  const handle = await mustOpen(v, '\\f');
  expectStatus((await v.api.fsControl(handle, FSCTL_STRATA_TRUST_COPY_SOURCE, text(tier), 0)).status, STATUS_ACCESS_DENIED, 'user-mode trust');
  expectStatus((await trust(v, handle, tier)).status, 0, 'kernel-mode trust');
  expectStatus((await v.api.fsControl(handle, FSCTL_STRATA_COPY_FROM_HOST_FILE, copyRequest(object, 12), 0)).status, STATUS_ACCESS_DENIED, 'user-mode copy');
  await mustClose(v, handle);
  assert.equal(decode(await getFile(v, '\\f')), 'mine');
});

volumeTest('hostile sources are refused and the target stays as it was', local, async (v) => {
  const { tier, object, outside, secret } = await hostFolders(v);
  await putFile(v, '\\inside.txt', 'a file of the volume');
  await symlink(secret, join(tier, 'link-out'));
  execFileSync('mkfifo', [join(tier, 'fifo')]);
  await putFile(v, '\\f', 'mine');
  const handle = await mustOpen(v, '\\f');
  expectStatus((await copyIn(v, handle, object, 12)).status, STATUS_ACCESS_DENIED, 'nothing trusted yet');
  expectStatus((await trust(v, handle, tier)).status, 0);
  const refusals: [string, number, number][] = [
    [secret, 10, STATUS_ACCESS_DENIED],
    [join(tier, '..', 'outside', 'secret'), 10, STATUS_ACCESS_DENIED],
    [join(tier, 'link-out'), 10, STATUS_ACCESS_DENIED],
    [join(tier, 'fifo'), 0, STATUS_ACCESS_DENIED],
    [join(v.hostRoot!, 'inside.txt'), 20, STATUS_ACCESS_DENIED],
    ['/etc/passwd', (await stat('/etc/passwd')).size, STATUS_ACCESS_DENIED],
    ['tier/object', 12, STATUS_INVALID_PARAMETER],
    [object, 11, STATUS_INVALID_PARAMETER],
  ];
  for (const [source, size, status] of refusals) expectStatus((await copyIn(v, handle, source, size)).status, status, source);
  expectStatus((await kernelFsControl(v, handle, FSCTL_STRATA_COPY_FROM_HOST_FILE, new Uint8Array(4))).status, STATUS_INVALID_PARAMETER, 'malformed');
  for (const directory of [v.hostRoot!, dirname(v.hostRoot!), join(v.hostRoot!, 'sub')]) {
    await mkdir(directory, { recursive: true });
    expectStatus((await trust(v, handle, directory)).status, STATUS_ACCESS_DENIED, `trust ${directory} (overlaps the volume)`);
  }
  expectStatus((await copyIn(v, handle, join(v.hostRoot!, 'inside.txt'), 20)).status, STATUS_ACCESS_DENIED, 'still refused');
  await mustClose(v, handle);
  assert.equal(decode(await getFile(v, '\\f')), 'mine');
  assert.equal((await stat(join(outside, 'secret'))).size, 10);
});

volumeTest('a source cut short while it is copied fails the copy (STATUS_FILE_CORRUPT_ERROR) instead of hanging it', local, async (v) => {
  const { tier } = await hostFolders(v);
  const size = 128 << 20;
  const source = join(tier, 'shrinking');
  await writeFile(source, Buffer.alloc(size, 7));
  await putFile(v, '\\f', 'mine');
  const handle = await mustOpen(v, '\\f');
  expectStatus((await trust(v, handle, tier)).status, 0);
  const copying = copyIn(v, handle, source, size);
  // Cut the source once the copy has begun writing (libuv's copy loop would spin for good on it).
  const target = join(v.hostRoot!, 'f');
  for (let waited = 0; waited < 5000 && statSync(target).size <= 4; waited++) await new Promise((resolve) => setTimeout(resolve, 1));
  truncateSync(source, 1 << 20);
  const result = await copying;
  expectStatus(result.status, STATUS_FILE_CORRUPT_ERROR);
  await mustClose(v, handle);
});

volumeTest('a copy into a directory is STATUS_INVALID_DEVICE_REQUEST', local, async (v) => {
  const { tier, object } = await hostFolders(v);
  const directory = await mustOpen(v, '\\dir', { disposition: FILE_CREATE, options: FILE_DIRECTORY_FILE });
  expectStatus((await trust(v, directory, tier)).status, 0);
  expectStatus((await copyIn(v, directory, object, 12)).status, STATUS_INVALID_DEVICE_REQUEST);
  await mustClose(v, directory);
});

volumeTest('memory volume: both controls are STATUS_INVALID_DEVICE_REQUEST in kernel mode, STATUS_ACCESS_DENIED in user mode', memory, async (v) => {
  await putFile(v, '\\f', 'mine');
  const handle = await mustOpen(v, '\\f');
  expectStatus((await trust(v, handle, '/tmp')).status, STATUS_INVALID_DEVICE_REQUEST);
  expectStatus((await copyIn(v, handle, '/etc/hostname', 1)).status, STATUS_INVALID_DEVICE_REQUEST);
  expectStatus((await v.api.fsControl(handle, FSCTL_STRATA_COPY_FROM_HOST_FILE, copyRequest('/etc/hostname', 1), 0)).status, STATUS_ACCESS_DENIED);
  await mustClose(v, handle);
  assert.equal(decode(await getFile(v, '\\f')), 'mine');
});
