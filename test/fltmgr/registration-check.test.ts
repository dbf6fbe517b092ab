// FltRegisterFilter checks the registration table: a malformed entry is refused there, with an error
// naming the filter and the entry, instead of throwing in the dispatch of every matching operation (the
// IRP then never completed). An entry present but undefined is allowed by its type and means "absent".

import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import {
  IRP_MJ_READ, IRP_MJ_WRITE, NtStatusError, STATUS_INVALID_PARAMETER, STATUS_SUCCESS,
} from '../../main/io/index.js';
import { FLT_PREOP_SUCCESS_NO_CALLBACK, type FltRegistration } from '../../main/fltmgr/index.js';
import { decode, makeRig, open, volumeOf, writeFile, type Rig } from './rig.js';

let rig: Rig;
afterEach(() => rig?.io.assertNoLeakedIrps());

it('an entry present but undefined counts as absent: the operation bypasses the filter', async () => {
  rig = makeRig();
  await writeFile(rig, 'a.txt', 'abc');
  const writes: number[] = [];
  rig.manager.registerFilter({
    name: 'Optional', altitude: '200000',
    operations: { [IRP_MJ_READ]: undefined, [IRP_MJ_WRITE]: { pre: () => (writes.push(1), FLT_PREOP_SUCCESS_NO_CALLBACK) } },
  }).startFiltering();
  assert.deepEqual(volumeOf(rig).instancesFor(IRP_MJ_READ).map((instance) => instance.name), []);
  const handle = await open(rig, 'a.txt');
  const read = await rig.api.read(handle, 3, 0);
  assert.equal(read.status, STATUS_SUCCESS);
  assert.equal(decode(read.data), 'abc');
  assert.equal((await rig.api.write(handle, new TextEncoder().encode('d'), 3)).status, STATUS_SUCCESS);
  assert.deepEqual(writes, [1]);
  await rig.api.close(handle);
});

it('a malformed registration is refused with STATUS_INVALID_PARAMETER naming the entry, and nothing is registered', () => {
  rig = makeRig();
  const cases: [unknown, RegExp][] = [
    [{ [IRP_MJ_READ]: null }, /minifilter 'Bad': operations\[IRP_MJ_READ\] is null, not \{ pre\?, post\? \}/],
    [{ [IRP_MJ_READ]: 1 }, /operations\[IRP_MJ_READ\] is number/],
    [{ [IRP_MJ_READ]: { pre: 'no' } }, /operations\[IRP_MJ_READ\]\.pre is 'no', not a function/],
    [{ [IRP_MJ_WRITE]: { post: {} } }, /operations\[IRP_MJ_WRITE\]\.post is an object, not a function/],
    [{ 99: {} }, /operations\['99'\] is not an IRP_MJ_\* code/],
    [{ x: {} }, /operations\['x'\] is not an IRP_MJ_\* code/],
    [undefined, /minifilter 'Bad': operations is undefined/],
  ];
  for (const [operations, message] of cases) {
    assert.throws(
      () => rig.manager.registerFilter({ name: 'Bad', altitude: '200000', operations } as FltRegistration),
      (error: unknown) => error instanceof NtStatusError && error.status === STATUS_INVALID_PARAMETER && message.test(error.message),
      String(message),
    );
  }
  assert.throws(
    () => rig.manager.registerFilter({ name: 'Bad', altitude: '200000', operations: {}, instanceSetup: 'yes' } as unknown as FltRegistration),
    /minifilter 'Bad': instanceSetup is 'yes', not a function/,
  );
  assert.deepEqual(rig.manager.filters, []);
  // The name is still free.
  rig.manager.registerFilter({ name: 'Bad', altitude: '200000', operations: {} });
});
