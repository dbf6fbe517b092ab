// The upper edge checks a request's lengths and buffers before it allocates anything: a read with no buffer
// of the caller's asks for at most MAXIMUM_ALLOCATED_BUFFER bytes (a huge length on a ten-byte file is
// refused, not a gigabytes allocation), a buffer too short for the length is STATUS_INVALID_USER_BUFFER,
// a buffer or data that is not a Uint8Array and a length or offset that is not a safe whole number are
// STATUS_INVALID_PARAMETER; each refusal says why, and no IRP is built for it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FILE_OVERWRITE_IF, MAXIMUM_ALLOCATED_BUFFER, MAXIMUM_REQUEST_LENGTH, STATUS_INVALID_PARAMETER, STATUS_INVALID_USER_BUFFER,
  STATUS_SUCCESS, type FileHandle, type NtFileApi, type NTSTATUS,
} from '../../main/io/index.js';
import { localVolumeFactory } from '../volumes/volume-factories.js';
import { openHeld } from './held-device.js';
import { assertStatus } from './helpers.js';

const KIB_64 = 64 * 1024;
const CODE = 0x00090000;

interface Refused {
  status: NTSTATUS;
  information: number;
  reason?: string;
  data?: Uint8Array;
}

function assertRefused(result: Refused, status: NTSTATUS, reason: RegExp, what: string): void {
  assertStatus(result.status, status, what);
  assert.equal(result.information, 0, what);
  assert.equal(result.data?.length ?? 0, 0, what);
  assert.match(result.reason ?? '(no reason)', reason, what);
}

/** Bytes held by ArrayBuffers now: a refused read that allocated its buffer anyway would show here. */
function arrayBufferBytes(): number {
  return process.memoryUsage().arrayBuffers;
}

describe('NtFileApi read lengths', () => {
  it('a read of a ten-byte file longer than MAXIMUM_ALLOCATED_BUFFER, with no buffer, is refused before any allocation', async () => {
    const volume = await localVolumeFactory()();
    try {
      const api: NtFileApi = volume.api;
      const name = `${volume.volumePath}\\ten.bin`;
      const created = await api.createFile(name, { disposition: FILE_OVERWRITE_IF });
      assertStatus(created.status, STATUS_SUCCESS);
      const handle: FileHandle = created.handle!;
      assertStatus((await api.write(handle, new TextEncoder().encode('0123456789'), 0)).status, STATUS_SUCCESS);
      const before = arrayBufferBytes();
      // Just over the maximum first: before the check it allocated 64 MiB and read the ten bytes.
      for (const length of [MAXIMUM_ALLOCATED_BUFFER + KIB_64, MAXIMUM_REQUEST_LENGTH]) {
        const result = await api.read(handle, length, 0);
        assertRefused(result, STATUS_INVALID_PARAMETER, new RegExp(`^read of '\\\\ten\\.bin': length ${length} is more than the ${MAXIMUM_ALLOCATED_BUFFER} bytes`), `read(${length})`);
      }
      for (const length of [2 ** 33, 2 ** 40]) {
        const result = await api.read(handle, length, 0);
        assertRefused(result, STATUS_INVALID_PARAMETER, new RegExp(`^read of '\\\\ten\\.bin': length ${length} is not a byte count`), `read(${length})`);
      }
      assert.ok(arrayBufferBytes() - before < KIB_64 * 16, 'the refused reads allocated no buffer');
      const whole = await api.read(handle, KIB_64, 0);
      assertStatus(whole.status, STATUS_SUCCESS, 'a read within the maximum');
      assert.equal(new TextDecoder().decode(whole.data), '0123456789');
      assertStatus((await api.close(handle)).status, STATUS_SUCCESS);
    } finally {
      await volume.teardown();
    }
    volume.io.assertNoLeakedIrps();
  });

  it('at most MAXIMUM_ALLOCATED_BUFFER without a buffer; a buffer of the caller\'s bounds the read instead', async () => {
    const { io, disk, api, handle } = await openHeld();
    assertStatus((await api.read(handle, MAXIMUM_ALLOCATED_BUFFER, 0)).status, STATUS_SUCCESS, 'exactly the maximum');
    const own = new Uint8Array(MAXIMUM_ALLOCATED_BUFFER + KIB_64);
    assertStatus((await api.read(handle, own.length, 0, own)).status, STATUS_SUCCESS, 'more than the maximum, into a buffer of its own');
    assert.deepEqual(disk.log, ["IRP_MJ_READ '\\f'", "IRP_MJ_READ '\\f'"]);
    await api.close(handle);
    io.assertNoLeakedIrps();
  });

  it('a buffer shorter than the length is STATUS_INVALID_USER_BUFFER, without an IRP', async () => {
    const { io, disk, api, handle } = await openHeld();
    assertRefused(await api.read(handle, 8, 0, new Uint8Array(4)), STATUS_INVALID_USER_BUFFER,
      /^read of '\\f': the buffer holds 4 bytes, fewer than the 8 asked for$/, 'read(8) into 4 bytes');
    assertRefused(await api.read(handle, MAXIMUM_ALLOCATED_BUFFER + KIB_64, 0, new Uint8Array(KIB_64)), STATUS_INVALID_USER_BUFFER,
      /fewer than the 67174400 asked for$/, 'a long read into a short buffer');
    assert.deepEqual(disk.log, [], 'no request reached the driver');
    await api.close(handle);
    io.assertNoLeakedIrps();
  });

  it('a buffer or data that is not a Uint8Array, and lengths or offsets that are not safe whole numbers, are STATUS_INVALID_PARAMETER', async () => {
    const { io, disk, api, handle } = await openHeld();
    const cases: [string, () => Promise<Refused>, RegExp][] = [
      ['read into a plain array', () => api.read(handle, 4, 0, [0, 0, 0, 0, 0, 0, 0, 0] as unknown as Uint8Array), /^read of '\\f': the buffer is an object \(Array\), not a Uint8Array$/],
      ['read into a string', () => api.read(handle, 4, 0, 'abcdefgh' as unknown as Uint8Array), /the buffer is a string, not a Uint8Array/],
      ['read length a string', () => api.read(handle, '4' as unknown as number, 0), /^read of '\\f': length a string is not a byte count/],
      ['read at offset 2^53', () => api.read(handle, 1, 2 ** 53), /^read of '\\f': byte offset 9007199254740992 is not a whole number from 0/],
      ['write of a string', () => api.write(handle, 'abc' as unknown as Uint8Array, 0), /^write of '\\f': the data is a string, not a Uint8Array$/],
      ['write of a plain array', () => api.write(handle, [1, 2] as unknown as Uint8Array, 0), /the data is an object \(Array\)/],
      ['write at offset 2^53 + 2', () => api.write(handle, new Uint8Array(1), 2 ** 53 + 2), /^write of '\\f': byte offset 9007199254740994 is not a whole number from -1/],
    ];
    for (const [what, call, reason] of cases) assertRefused(await call(), STATUS_INVALID_PARAMETER, reason, what);
    assert.deepEqual(disk.log, [], 'no request reached the driver');
    await api.close(handle);
    io.assertNoLeakedIrps();
  });

  it('a control request\'s output longer than MAXIMUM_ALLOCATED_BUFFER is refused before its buffer is allocated', async () => {
    const { io, disk, api, handle } = await openHeld();
    const length = MAXIMUM_ALLOCATED_BUFFER + KIB_64;
    assertRefused(await api.deviceIoControl(handle, CODE, null, length), STATUS_INVALID_PARAMETER,
      /^device control of '\\f': output length 67174400 is more than the 67108864 bytes/, 'deviceIoControl');
    assertRefused(await api.fsControl(handle, CODE, null, length), STATUS_INVALID_PARAMETER,
      /^file system control of '\\f': output length 67174400 is more than/, 'fsControl');
    assert.deepEqual(disk.log, [], 'no request reached the driver');
    await api.close(handle);
    io.assertNoLeakedIrps();
  });
});
