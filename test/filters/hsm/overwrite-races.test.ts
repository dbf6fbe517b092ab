// Overwrites (FILE_OVERWRITE_IF) racing the HSM's own work on a stub: a recall writing into the file,
// and the first open reading the stub before it attaches its context. The overwrite lands in the gap
// through one call of the HSM volume's own I/O, wrapped for that call (real stack, real tier, real
// files). Either way the user's new content is what stays, and the file is an ordinary one after.

import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { FILE_OVERWRITE_IF, STATUS_SUCCESS } from '../../../main/io/index.js';
import type { OpenFile } from '../../../filters/hsm/volume/below-io.js';
import { closeFile, expectStatus, hostRead, makeRig, migrateAll, openFile, readThrough, type HsmRig } from './hsm-rig.js';

const NEW = Buffer.from('NEW');

/** Opens `name` overwriting it, writes NEW and closes: what the user is told has happened. */
async function overwriteWithNew(rig: HsmRig, name: string): Promise<void> {
  const handle = await openFile(rig, name, { disposition: FILE_OVERWRITE_IF });
  expectStatus((await rig.session.stack.api.write(handle, NEW, 0)).status, STATUS_SUCCESS, 'write NEW');
  await closeFile(rig, handle);
}

/**
 * Makes the next call of the volume's `method` (on `path`) run `act` first, or after the real call when
 * `after`; the call waits for `act` at most `patience` ms (an act held by the HSM goes on meanwhile).
 */
function landOnce(
  rig: HsmRig, method: 'close' | 'copyFromHostFile' | 'setEndOfFile', path: string, when: 'before' | 'after', act: () => Promise<void>, patience = Infinity,
): Promise<void> {
  const io = rig.session.volume.io as unknown as Record<typeof method, (file: OpenFile, ...rest: unknown[]) => Promise<unknown>>;
  const real = io[method].bind(io);
  let landed!: (done: Promise<void>) => void;
  const acting = new Promise<Promise<void>>((resolve) => (landed = resolve));
  io[method] = async (file, ...rest) => {
    if (file.path !== path) return real(file, ...rest);
    io[method] = real;
    const run = async (): Promise<void> => {
      const done = act();
      landed(done);
      await Promise.race([done, patience === Infinity ? new Promise(() => {}) : delay(patience)]);
    };
    if (when === 'before') await run();
    const result = await real(file, ...rest);
    if (when === 'after') await run();
    return result;
  };
  return acting.then((done) => done);
}

/** Short enough for an assertion message, whatever the file's size. */
const sizeAndHead = (bytes: Uint8Array): string => `${bytes.length} bytes: ${JSON.stringify(Buffer.from(bytes.subarray(0, 40)).toString())}`;

async function expectOrdinaryNew(rig: HsmRig, name: string): Promise<void> {
  await rig.session.volume.idle();
  assert.equal(sizeAndHead(await hostRead(rig, name)), sizeAndHead(NEW), 'the file on disk holds what the user wrote');
  assert.equal(rig.session.volume.catalog.get(`\\${name}`), null, 'no stub row is left for it');
  assert.equal((await readThrough(rig, name)).toString(), 'NEW', 'read through the stack');
  assert.deepEqual(rig.events.filter((event) => event.kind === 'recall-failed'), []);
}

describe('overwrite races', () => {
  const BIG = Buffer.alloc(12 << 20, 'L');

  for (const copy of ['offloaded', 'streamed'] as const) {
    it(`an overwrite while a read recalls the stub (${copy}) waits for the recall, and its data stays`, async (t) => {
      const rig = await makeRig(t, { 'big.bin': BIG }, {}, { hostCopies: copy === 'offloaded' });
      await migrateAll(rig);
      // Offloaded: right after the kernel copy, before its size check. Streamed: after the chunks, before
      // the end of file is set. Before the fix the overwrite completed there and the recall then wrote
      // the stub back over NEW (offloaded) or extended NEW with zeroes to the old size (streamed).
      const overwritten = copy === 'offloaded'
        ? landOnce(rig, 'copyFromHostFile', '\\big.bin', 'after', () => overwriteWithNew(rig, 'big.bin'), 300)
        : landOnce(rig, 'setEndOfFile', '\\big.bin', 'before', () => overwriteWithNew(rig, 'big.bin'), 300);
      const reader = await openFile(rig, 'big.bin');
      const read = await rig.session.stack.api.read(reader, 4, 0);
      expectStatus(read.status, STATUS_SUCCESS, 'the read that recalled');
      await overwritten;
      await closeFile(rig, reader);
      assert.equal(rig.events.filter((event) => event.kind === 'recall-done').length, 1);
      await expectOrdinaryNew(rig, 'big.bin');
    });
  }

  it('an overwrite completing while the first open reads the stub leaves no stub context behind', async (t) => {
    const rig = await makeRig(t, { 's.bin': Buffer.alloc(64 << 10, 'L') });
    await migrateAll(rig);
    let overwriting: Awaited<ReturnType<typeof openFile>> | undefined;
    // The first open's stub read closes its file: the overwrite lands there, before the context is set.
    const landed = landOnce(rig, 'close', '\\s.bin', 'after', async () => {
      overwriting = await openFile(rig, 's.bin', { disposition: FILE_OVERWRITE_IF });
    });
    const first = await openFile(rig, 's.bin');
    await landed;
    // Before the fix the first open attached a 'stub' context: this write tried to recall the deleted
    // tier object and failed with STATUS_FILE_CORRUPT_ERROR.
    expectStatus((await rig.session.stack.api.write(overwriting!, NEW, 0)).status, STATUS_SUCCESS, 'write NEW through the overwriting handle');
    await closeFile(rig, overwriting!);
    await closeFile(rig, first);
    await expectOrdinaryNew(rig, 's.bin');
  });
});
