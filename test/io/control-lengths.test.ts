// fsControl and deviceIoControl validate what they are given as read() does: an output length that is not
// a length, an input that is not bytes (or null), a control code that is not a 32-bit value: each gets
// STATUS_INVALID_PARAMETER before any IRP is built, never a bare exception.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NtFileApi, STATUS_INVALID_PARAMETER, STATUS_SUCCESS, statusName } from '../../main/io/index.js';
import { HeldDevice } from './held-device.js';
import { assertStatus, newIo } from './helpers.js';

const CODE = 0x00090000;

describe('NtFileApi control requests: bad input', () => {
  it('answers STATUS_INVALID_PARAMETER without an IRP', async () => {
    const io = newIo();
    const disk = new HeldDevice(io, '\\Device\\Held');
    const api = new NtFileApi(io);
    const { handle } = await api.createFile('\\Device\\Held\\f');
    disk.log.length = 0;
    const bad: [string, number, unknown, number][] = [
      ['output length -1', CODE, null, -1],
      ['output length 1.5', CODE, null, 1.5],
      ['output length NaN', CODE, null, Number.NaN],
      ['output length 2^31', CODE, null, 0x80000000],
      ['input a string', CODE, 'abc', 0],
      ['input undefined', CODE, undefined, 0],
      ['input a plain array', CODE, [1, 2], 0],
      ['code NaN', Number.NaN, null, 0],
      ['code 1.5', 1.5, null, 0],
      ['code 2^32', 0x100000000, null, 0],
    ];
    for (const call of ['fsControl', 'deviceIoControl'] as const) {
      for (const [what, code, input, outputLength] of bad) {
        const result = await api[call](handle!, code, input as Uint8Array | null, outputLength);
        assert.equal(statusName(result.status), statusName(STATUS_INVALID_PARAMETER), `${call}: ${what}`);
        assert.equal(result.information, 0);
        assert.equal(result.data.length, 0);
      }
    }
    assert.deepEqual(disk.log, [], 'no request reached the driver');
    const good = await api.deviceIoControl(handle!, CODE, new Uint8Array(2), 4);
    assertStatus(good.status, STATUS_SUCCESS);
    assertStatus((await api.fsControl(handle!, 0xc0000000, null, 0)).status, STATUS_SUCCESS);
    assertStatus((await api.fsControl(handle!, -0x3ffe0000, null, 0)).status, STATUS_SUCCESS, 'a CTL_CODE computed with << may be negative');
    assert.deepEqual(disk.log, ["IRP_MJ_DEVICE_CONTROL '\\f'", "IRP_MJ_FILE_SYSTEM_CONTROL '\\f'", "IRP_MJ_FILE_SYSTEM_CONTROL '\\f'"]);
    await api.close(handle!);
    io.assertNoLeakedIrps();
  });
});
