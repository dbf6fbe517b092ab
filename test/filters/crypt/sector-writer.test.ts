// The sector writer: runs of any length after a prefix of any length land in the file byte for byte, every
// write through the unbuffered open is whole sectors from aligned memory (the volume refuses anything
// else), and the padding of the last sector is cut off.

import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ENCRYPTED_CHUNK_SIZE } from '../../../main/age/index.js';
import { FILE_CREATE, FILE_NO_INTERMEDIATE_BUFFERING, FILE_NON_DIRECTORY_FILE, UNBUFFERED_ALIGNMENT } from '../../../main/io/index.js';
import { SectorWriter } from '../../../filters/crypt/sector-writer.js';
import { bytes, openCryptRig, type CryptRig } from './crypt-rig.js';

let rig: CryptRig;
afterEach(() => rig?.close());

/** `together`: every run is issued before any is awaited (writes under way at once land the same). */
async function writeRuns(name: string, prefix: Uint8Array, runs: Uint8Array[], together = false): Promise<Uint8Array> {
  const volume = await rig.volume();
  const below = volume.below;
  const handle = await below.open(`\\${name}`, { disposition: FILE_CREATE, options: FILE_NON_DIRECTORY_FILE | FILE_NO_INTERMEDIATE_BUFFERING });
  const writer = await SectorWriter.start(below, handle, prefix);
  const underWay: Promise<number>[] = [];
  for (const [index, run] of runs.entries()) {
    const at = writer.offset;
    const slab = volume.pool.slabs.acquire(SectorWriter.slabLengthOf(at, run.length));
    slab.set(run, SectorWriter.leadOf(at));
    const written = writer.write(slab, run.length, index === runs.length - 1);
    if (together) underWay.push(written);
    else await written;
  }
  const ends = await Promise.all(underWay);
  for (let i = 1; i < ends.length; i++) assert.ok(ends[i]! >= ends[i - 1]!, 'each write ends at or after the one before');
  await below.close(handle);
  return rig.onDisk(name);
}

describe('crypt filter: sector writer', () => {
  it('writes prefixes and runs of every alignment exactly', async () => {
    rig = await openCryptRig();
    const sector = UNBUFFERED_ALIGNMENT;
    const prefixes = [1, 201, sector - 1, sector, sector + 5, 3 * sector];
    const runLengths = [[16], [1, sector - 1, 1], [ENCRYPTED_CHUNK_SIZE * 3, ENCRYPTED_CHUNK_SIZE * 64 + 16], [sector, sector, 7], [5 * sector - 201, 300]];
    let seed = 1;
    for (const prefixLength of prefixes) {
      for (const lengths of runLengths) {
        const prefix = bytes(prefixLength, seed++);
        const runs = lengths.map((length) => bytes(length, seed++));
        const expected = Buffer.concat([prefix, ...runs]);
        const name = `file-${prefixLength}-${lengths.join('-')}.bin`;
        assert.deepEqual(Buffer.from(await writeRuns(name, prefix, runs)), expected, name);
      }
    }
  });

  it('lands the same when every run is issued before the first is done', async () => {
    rig = await openCryptRig();
    const runs = [ENCRYPTED_CHUNK_SIZE * 64 + 16, 3 * UNBUFFERED_ALIGNMENT + 11, ENCRYPTED_CHUNK_SIZE * 64, 1, 777].map((length, index) => bytes(length, 40 + index));
    for (const prefixLength of [1, 201, UNBUFFERED_ALIGNMENT + 5]) {
      const prefix = bytes(prefixLength, 39);
      const name = `together-${prefixLength}.bin`;
      assert.deepEqual(Buffer.from(await writeRuns(name, prefix, runs, true)), Buffer.concat([prefix, ...runs]), name);
    }
  });

  it('refuses a slab without room for the lead and the padding, before writing anything', async () => {
    rig = await openCryptRig();
    const volume = await rig.volume();
    const handle = await volume.below.open('\\short.bin', { disposition: FILE_CREATE, options: FILE_NON_DIRECTORY_FILE | FILE_NO_INTERMEDIATE_BUFFERING });
    const writer = await SectorWriter.start(volume.below, handle, bytes(100, 3));
    await assert.rejects(writer.write(volume.pool.slabs.acquire(100), 100, true), /needs a 100-byte lead/);
    await volume.below.close(handle);
    assert.equal((await rig.onDisk('short.bin')).length, 0);
  });
});
