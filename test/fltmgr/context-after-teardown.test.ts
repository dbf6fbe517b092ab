// Contexts can only be set on an attached instance: once teardown has begun, FltSetInstanceContext and
// FltSetStreamContext fail with STATUS_FLT_DELETING_OBJECT and the caller's reference is the last one,
// so the context's cleanup runs when the caller releases it (a context accepted then would never be
// cleaned up: teardown has already released the instance's contexts, and key material would stay).

import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import { IRP_MJ_READ, STATUS_FLT_DELETING_OBJECT, STATUS_SUCCESS } from '../../main/io/index.js';
import { FLT_SET_CONTEXT_KEEP_IF_EXISTS, FLT_SET_CONTEXT_REPLACE_IF_EXISTS, type FltInstance } from '../../main/fltmgr/index.js';
import { makeRig, open, volumeOf, writeFile, type Rig } from './rig.js';

let rig: Rig;
afterEach(() => rig?.io.assertNoLeakedIrps());

it('contexts set once teardown has begun are refused with STATUS_FLT_DELETING_OBJECT and cleaned up at the caller\'s release', async () => {
  rig = makeRig();
  await writeFile(rig, 'a.txt', 'x');
  const cleaned: string[] = [];
  const duringTeardown: number[] = [];
  const filter = rig.manager.registerFilter({
    name: 'Keys', altitude: '200000', operations: { [IRP_MJ_READ]: {} },
    contextCleanup: (value, kind) => cleaned.push(`${kind}:${(value as { label: string }).label}`),
    instanceTeardownStart: ({ instance }) => {
      const context = filter.allocateContext('instance', { label: 'in-teardown' });
      duringTeardown.push(instance.setInstanceContext(FLT_SET_CONTEXT_REPLACE_IF_EXISTS, context).status);
      context.release();
    },
  });
  filter.startFiltering();
  const volume = volumeOf(rig);
  const instance: FltInstance = volume.instances[0]!;
  const handle = await open(rig, 'a.txt');
  const attached = filter.allocateContext('stream', { label: 'attached' });
  assert.equal(instance.setStreamContext(handle.fileObject, FLT_SET_CONTEXT_KEEP_IF_EXISTS, attached).status, STATUS_SUCCESS);
  attached.release();

  assert.equal(await rig.manager.detachInstance(filter, volume), STATUS_SUCCESS);
  assert.deepEqual(duringTeardown, [STATUS_FLT_DELETING_OBJECT]);
  assert.deepEqual(cleaned, ['instance:in-teardown', 'stream:attached']);

  // e.g. an asynchronous scan finishing after the detach records its verdict.
  const late = filter.allocateContext('instance', { label: 'late-instance' });
  const lateStream = filter.allocateContext('stream', { label: 'late-stream' });
  assert.equal(instance.setInstanceContext(FLT_SET_CONTEXT_KEEP_IF_EXISTS, late).status, STATUS_FLT_DELETING_OBJECT);
  const refused = instance.setStreamContext(handle.fileObject, FLT_SET_CONTEXT_KEEP_IF_EXISTS, lateStream);
  assert.deepEqual(refused, { status: STATUS_FLT_DELETING_OBJECT, oldContext: null });
  late.release();
  lateStream.release();
  assert.deepEqual(cleaned, ['instance:in-teardown', 'stream:attached', 'instance:late-instance', 'stream:late-stream']);
  assert.equal(instance.getInstanceContext(), null);
  assert.equal(instance.getStreamContext(handle.fileObject), null);
  await rig.api.close(handle);
});
