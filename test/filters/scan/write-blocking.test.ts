// The scan filter on the write path: a write carrying a signature fails with STATUS_VIRUS_INFECTED and
// nothing of the stream stays on disk (a new file is removed, an existing one gets its original bytes
// back); signatures only decidable at the end (hashes, archives, out-of-order writes) fail the cleanup.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  FILE_OVERWRITE_IF, FILE_SUPERSEDE, FILE_WRITE_TO_END_OF_FILE, FileInformationClass, STATUS_SUCCESS, STATUS_VIRUS_INFECTED,
} from '../../../main/io/index.js';
import { EICAR_SIGNATURE_NAME, EICAR_TEST_STRING } from '../../../filters/scan/engine/builtin-signatures.js';
import { ScanEngine } from '../../../filters/scan/index.js';
import { zipArchive } from './archive-builders.js';
import { bytes, seededRandom, tempDir, writeDatabases } from './helpers.js';
import { mustOpen, openScanRig, writeChunks, type ScanRig } from './scan-rig.js';

const random = seededRandom(4242);
const CHUNK = 64 * 1024;

/** 16 MiB of random data with EICAR straddling the boundary between two 64 KiB writes in the middle. */
function largeStreamWithEicar(): { data: Uint8Array; eicarAt: number } {
  const data = random.bytes(16 << 20);
  const eicarAt = 128 * CHUNK - 30;
  data.set(bytes(EICAR_TEST_STRING), eicarAt);
  return { data, eicarAt };
}

function assertNothingLeft(rig: ScanRig, name: string): void {
  assert.equal(existsSync(join(rig.folder, name)), false, `${name} must not exist on disk`);
  assert.deepEqual(readdirSync(rig.folder), [], 'and nothing else was left in the folder');
}

describe('a new file', () => {
  it('a write through the stack carrying EICAR in the middle of a large stream is refused and leaves nothing behind', async (t) => {
    const rig = await openScanRig(t);
    const { data, eicarAt } = largeStreamWithEicar();
    const handle = await mustOpen(rig, 'big.bin');
    const statuses = await writeChunks(rig, handle, data, CHUNK);
    const carrying = Math.floor((eicarAt + EICAR_TEST_STRING.length - 1) / CHUNK);
    assert.ok(statuses.slice(0, carrying).every((s) => s === STATUS_SUCCESS), 'the writes before the signature completed land');
    assert.equal(statuses[carrying], STATUS_VIRUS_INFECTED, 'the write carrying the end of the signature is refused');
    assert.ok(statuses.slice(carrying + 1).every((s) => s === STATUS_VIRUS_INFECTED), 'and every write after it');
    assert.equal((await rig.stack.api.close(handle)).status, STATUS_VIRUS_INFECTED, 'the cleanup fails too');
    assertNothingLeft(rig, 'big.bin');
    assert.equal(rig.quarantined.length, 1);
    assert.equal(rig.quarantined[0]!.signature, EICAR_SIGNATURE_NAME);
    assert.equal(rig.quarantined[0]!.path, '\\big.bin');
    assert.equal(Buffer.from(rig.quarantined[0]!.content).indexOf(EICAR_TEST_STRING), eicarAt, 'the quarantine keeps the content with the refused write');
    assert.deepEqual(rig.events.map((e) => `${e.kind}/${e.origin}`), ['threat-found/write', 'blocked/write', 'quarantined/cleanup', 'blocked/cleanup']);
  });

  it('a clean stream lands whole and its cleanup succeeds', async (t) => {
    const rig = await openScanRig(t);
    const data = random.bytes(3 << 20);
    const handle = await mustOpen(rig, 'clean.bin');
    assert.ok((await writeChunks(rig, handle, data, CHUNK)).every((s) => s === STATUS_SUCCESS));
    assert.equal((await rig.stack.api.close(handle)).status, STATUS_SUCCESS);
    assert.ok(Buffer.from(readFileSync(join(rig.folder, 'clean.bin'))).equals(data));
    assert.deepEqual(rig.quarantined, []);
  });

  it('appends (FILE_WRITE_TO_END_OF_FILE) continue the sequential scan: EICAR split over two appends is refused', async (t) => {
    const rig = await openScanRig(t);
    const handle = await mustOpen(rig, 'log.txt');
    const eicar = bytes(EICAR_TEST_STRING);
    assert.equal((await rig.stack.api.write(handle, random.bytes(10_000), FILE_WRITE_TO_END_OF_FILE)).status, STATUS_SUCCESS);
    assert.equal((await rig.stack.api.write(handle, eicar.subarray(0, 40), FILE_WRITE_TO_END_OF_FILE)).status, STATUS_SUCCESS);
    assert.equal((await rig.stack.api.write(handle, eicar.subarray(40), FILE_WRITE_TO_END_OF_FILE)).status, STATUS_VIRUS_INFECTED);
    assert.equal((await rig.stack.api.close(handle)).status, STATUS_VIRUS_INFECTED);
    assertNothingLeft(rig, 'log.txt');
  });

  it('writes out of order that assemble a signature are caught by the rescan at cleanup', async (t) => {
    const rig = await openScanRig(t);
    const data = random.bytes(200_000);
    data.set(bytes(EICAR_TEST_STRING), 100_000 - 34);
    const handle = await mustOpen(rig, 'scattered.bin');
    // Second half first: neither write holds all of EICAR, and the stream is no longer sequential.
    assert.equal((await rig.stack.api.write(handle, data.subarray(100_000), 100_000)).status, STATUS_SUCCESS);
    assert.equal((await rig.stack.api.write(handle, data.subarray(0, 100_000), 0)).status, STATUS_SUCCESS);
    assert.equal((await rig.stack.api.close(handle)).status, STATUS_VIRUS_INFECTED);
    assertNothingLeft(rig, 'scattered.bin');
  });

  it('a hash signature (known only once the whole file is written) fails the cleanup and removes the file', async (t) => {
    const data = random.bytes(500_000);
    const dbDir = tempDir(t);
    writeDatabases(dbDir, { 'h.hdb': `${createHash('md5').update(data).digest('hex')}:${data.length}:Strata.Test.Hash\n` });
    const engine = new ScanEngine();
    await engine.load([dbDir]);
    const rig = await openScanRig(t, { engine });
    const handle = await mustOpen(rig, 'hashed.bin');
    assert.ok((await writeChunks(rig, handle, data, CHUNK)).every((s) => s === STATUS_SUCCESS));
    assert.equal((await rig.stack.api.close(handle)).status, STATUS_VIRUS_INFECTED);
    assertNothingLeft(rig, 'hashed.bin');
    assert.equal(rig.quarantined[0]?.signature, 'Strata.Test.Hash');
  });

  it('a zip written sequentially is opened at cleanup: deflated EICAR inside is found', async (t) => {
    const rig = await openScanRig(t);
    const zip = zipArchive([{ name: 'readme.txt', data: random.bytes(5000) }, { name: 'eicar.com', data: bytes(EICAR_TEST_STRING) }]);
    const handle = await mustOpen(rig, 'parcel.zip');
    assert.ok((await writeChunks(rig, handle, zip, 1000)).every((s) => s === STATUS_SUCCESS), 'compressed, EICAR is not visible while streaming');
    assert.equal((await rig.stack.api.close(handle)).status, STATUS_VIRUS_INFECTED);
    assertNothingLeft(rig, 'parcel.zip');
  });
});

describe('an existing file', () => {
  const original = random.bytes(300_000);
  const digest = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

  async function rigWithOriginal(t: Parameters<typeof openScanRig>[0]): Promise<ScanRig> {
    const rig = await openScanRig(t);
    writeFileSync(join(rig.folder, 'doc.bin'), original);
    return rig;
  }

  it('overwritten in place with EICAR gets its original bytes back', async (t) => {
    const rig = await rigWithOriginal(t);
    const handle = await mustOpen(rig, 'doc.bin');
    assert.equal((await rig.stack.api.write(handle, random.bytes(1000), 5000)).status, STATUS_SUCCESS, 'a clean change first');
    const infected = random.bytes(4000);
    infected.set(bytes(EICAR_TEST_STRING), 2000);
    assert.equal((await rig.stack.api.write(handle, infected, 150_000)).status, STATUS_VIRUS_INFECTED);
    assert.equal((await rig.stack.api.close(handle)).status, STATUS_VIRUS_INFECTED);
    assert.equal(digest(readFileSync(join(rig.folder, 'doc.bin'))), digest(original), 'byte for byte the original');
    assert.deepEqual(readdirSync(rig.stagingDir), [], 'the journal is gone once restored');
  });

  it('overwritten at open (FILE_OVERWRITE_IF, FILE_SUPERSEDE) then infected gets its original back', async (t) => {
    for (const disposition of [FILE_OVERWRITE_IF, FILE_SUPERSEDE]) {
      const rig = await rigWithOriginal(t);
      const handle = await mustOpen(rig, 'doc.bin', disposition);
      const { data } = largeStreamWithEicar();
      await writeChunks(rig, handle, data.subarray(0, 10 << 20), CHUNK);
      assert.equal((await rig.stack.api.close(handle)).status, STATUS_VIRUS_INFECTED);
      assert.equal(digest(readFileSync(join(rig.folder, 'doc.bin'))), digest(original), `disposition ${disposition}`);
    }
  });

  it('cut short, then extended with a signature out of order, gets its original size and bytes back', async (t) => {
    const rig = await rigWithOriginal(t);
    const handle = await mustOpen(rig, 'doc.bin');
    assert.equal((await rig.stack.api.setInformation(handle, FileInformationClass.FileEndOfFileInformation, { endOfFile: 1000 })).status, STATUS_SUCCESS);
    const tail = random.bytes(50_000);
    tail.set(bytes(EICAR_TEST_STRING), 40_000);
    assert.equal((await rig.stack.api.write(handle, tail.subarray(20_000), 21_000)).status, STATUS_VIRUS_INFECTED, 'the part holding EICAR is refused');
    assert.equal((await rig.stack.api.close(handle)).status, STATUS_VIRUS_INFECTED);
    assert.equal(digest(readFileSync(join(rig.folder, 'doc.bin'))), digest(original));
  });

  it('edited cleanly keeps the edits, and no undo journal is left in the staging folder', async (t) => {
    const rig = await rigWithOriginal(t);
    const handle = await mustOpen(rig, 'doc.bin');
    const patch = random.bytes(10_000);
    assert.equal((await rig.stack.api.write(handle, patch, 1234)).status, STATUS_SUCCESS);
    assert.equal((await rig.stack.api.close(handle)).status, STATUS_SUCCESS);
    const expected = Buffer.from(original);
    expected.set(patch, 1234);
    assert.ok(readFileSync(join(rig.folder, 'doc.bin')).equals(expected));
    assert.deepEqual(readdirSync(rig.stagingDir), [], 'the journal of the original bytes is gone');
  });
});

describe('failures', () => {
  it('a quarantine that fails does not keep infected data on disk: the stream is still removed', async (t) => {
    const rig = await openScanRig(t, { quarantineFails: true });
    const handle = await mustOpen(rig, 'eicar.com');
    assert.equal((await rig.stack.api.write(handle, bytes(EICAR_TEST_STRING), 0)).status, STATUS_VIRUS_INFECTED);
    assert.equal((await rig.stack.api.close(handle)).status, STATUS_VIRUS_INFECTED);
    assertNothingLeft(rig, 'eicar.com');
    assert.ok(rig.events.some((e) => e.detail === 'not quarantined: no space left in the quarantine'));
  });
});

describe('policy', () => {
  it("action 'report' lets infected data land and only reports it", async (t) => {
    const rig = await openScanRig(t, { policy: { action: 'report' } });
    const handle = await mustOpen(rig, 'eicar.com');
    assert.equal((await rig.stack.api.write(handle, bytes(EICAR_TEST_STRING), 0)).status, STATUS_SUCCESS);
    assert.equal((await rig.stack.api.close(handle)).status, STATUS_SUCCESS);
    assert.equal(readFileSync(join(rig.folder, 'eicar.com'), 'latin1'), EICAR_TEST_STRING);
    assert.ok(rig.events.some((e) => e.kind === 'threat-found' && e.signature === EICAR_SIGNATURE_NAME));
  });

  it("action 'block' refuses and removes without quarantining", async (t) => {
    const rig = await openScanRig(t, { policy: { action: 'block' } });
    const handle = await mustOpen(rig, 'eicar.com');
    assert.equal((await rig.stack.api.write(handle, bytes(EICAR_TEST_STRING), 0)).status, STATUS_VIRUS_INFECTED);
    assert.equal((await rig.stack.api.close(handle)).status, STATUS_VIRUS_INFECTED);
    assertNothingLeft(rig, 'eicar.com');
    assert.deepEqual(rig.quarantined, []);
  });
});
