// Device names are matched without regard to case at a component boundary, each candidate prefix folded on
// its own: lower-casing can lengthen a string ('İ' U+0130 becomes 'i' + U+0307), so positions found in the
// path do not hold in a lower-cased copy of the whole path.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NtFileApi, STATUS_OBJECT_PATH_NOT_FOUND, STATUS_SUCCESS, parseObjectName } from '../../main/io/index.js';
import { HeldDevice } from './held-device.js';
import { assertStatus, newIo } from './helpers.js';

describe('parseObjectName and case folding', () => {
  it('a path naming a device that does not exist does not resolve to another one', () => {
    const io = newIo();
    new HeldDevice(io, '\\Device\\VolI');
    const parsed = parseObjectName(io, '\\Device\\Volİ\\x.txt');
    assert.ok('status' in parsed, `resolved to ${'device' in parsed ? String(parsed.device) : ''}`);
    assertStatus(parsed.status, STATUS_OBJECT_PATH_NOT_FOUND);
  });

  it('a device whose name lengthens when lower-cased is found by its name, in any case, with the rest of the path intact', async () => {
    const io = newIo();
    const disk = new HeldDevice(io, '\\Device\\İzmir');
    for (const path of ['\\Device\\İzmir\\Dir\\x.TXT', '\\DEVICE\\İzmir\\Dir\\x.TXT', '\\device\\i\u0307zmir\\Dir\\x.TXT']) {
      const parsed = parseObjectName(io, path);
      assert.ok('device' in parsed, `${path}: ${'reason' in parsed ? parsed.reason : ''}`);
      assert.equal(parsed.device, disk.device, path);
      assert.equal(parsed.remaining, '\\Dir\\x.TXT', path);
    }
    const opened = await new NtFileApi(io).createFile('\\Device\\İzmir\\x.txt');
    assertStatus(opened.status, STATUS_SUCCESS);
    assert.deepEqual(disk.log, ["IRP_MJ_CREATE '\\x.txt'"]);
  });

  it('a lengthening character after the device name leaves the device and the rest of the path alone', () => {
    const io = newIo();
    const disk = new HeldDevice(io, '\\Device\\Vol');
    const parsed = parseObjectName(io, '\\Device\\Vol\\İİİ\\x');
    assert.ok('device' in parsed);
    assert.equal(parsed.device, disk.device);
    assert.equal(parsed.remaining, '\\İİİ\\x');
  });

  it('the longest device name wins among nested ones, and a path of many components still resolves', () => {
    const io = newIo();
    const outer = new HeldDevice(io, '\\Device\\Disk');
    const inner = new HeldDevice(io, '\\Device\\Disk\\Part1');
    const nested = parseObjectName(io, '\\device\\DISK\\part1\\x');
    assert.ok('device' in nested && nested.device === inner.device);
    const deep = `\\Device\\Disk\\${'a\\'.repeat(16000)}x`;
    const parsed = parseObjectName(io, deep);
    assert.ok('device' in parsed && parsed.device === outer.device);
    assert.equal(parsed.remaining.length, deep.length - '\\Device\\Disk'.length);
  });
});
