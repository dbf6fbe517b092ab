// The scan on open racing other opens of the same file: a file another handle is writing (its stream
// scanning or modified) is scanned as it is now, so infected content written in pieces is not readable
// before the writer's cleanup; and concurrent opens of one infected file share one scan and one
// quarantine.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FILE_OPEN, STATUS_SUCCESS, STATUS_VIRUS_INFECTED } from '../../../main/io/index.js';
import { EICAR_SIGNATURE_NAME, EICAR_TEST_STRING } from '../../../filters/scan/engine/builtin-signatures.js';
import { ScanEngine } from '../../../filters/scan/index.js';
import { bytes, seededRandom, tempDir, writeDatabases } from './helpers.js';
import { mustOpen, openFile, openScanRig, writeChunks } from './scan-rig.js';

const random = seededRandom(9131);

describe('scan on open, racing other opens', () => {
  it('a modified stream is scanned at the open: clean content opens, EICAR written in two halves is refused', async (t) => {
    const rig = await openScanRig(t);
    const path = join(rig.folder, 'x.txt');
    writeFileSync(path, 'clean'.repeat(30));
    const writer = await mustOpen(rig, 'x.txt', FILE_OPEN);
    // An out-of-order write of clean bytes: the stream is modified, and what is there is still clean.
    assert.equal((await rig.stack.api.write(writer, bytes('still clean'), 40)).status, STATUS_SUCCESS);
    const early = await openFile(rig, 'x.txt', FILE_OPEN);
    assert.equal(early.status, STATUS_SUCCESS, 'a clean file being written opens');
    await rig.stack.api.close(early.handle!);

    // Each half passes on its own; together they are EICAR.
    assert.equal((await rig.stack.api.write(writer, bytes(EICAR_TEST_STRING.slice(0, 30)), 0)).status, STATUS_SUCCESS);
    assert.equal((await rig.stack.api.write(writer, bytes(EICAR_TEST_STRING.slice(30)), 30)).status, STATUS_SUCCESS);
    const reader = await openFile(rig, 'x.txt', FILE_OPEN);
    if (reader.handle !== null) await rig.stack.api.close(reader.handle);
    assert.equal(reader.status, STATUS_VIRUS_INFECTED, 'the infected content is not readable');
    // Refused and reported, but not quarantined nor removed at the open: the writer's cleanup does that.
    assert.deepEqual(rig.events.map((e) => `${e.kind}/${e.origin}`), ['threat-found/open', 'blocked/open']);
    assert.equal(rig.events[0]?.signature, EICAR_SIGNATURE_NAME);
    assert.equal(rig.quarantined.length, 0);
    assert.equal(existsSync(path), true);

    assert.equal((await rig.stack.api.close(writer)).status, STATUS_VIRUS_INFECTED);
    assert.equal(rig.quarantined.length, 1, 'quarantined once, by the cleanup');
    assert.deepEqual(rig.events.slice(2).map((e) => `${e.kind}/${e.origin}`), ['threat-found/cleanup', 'quarantined/cleanup', 'blocked/cleanup']);
  });

  it('a scanning stream with no final verdict yet (a hash signature) is scanned at the open', async (t) => {
    const data = random.bytes(200_000);
    const dbDir = tempDir(t);
    writeDatabases(dbDir, { 'h.hdb': `${createHash('md5').update(data).digest('hex')}:${data.length}:Strata.Test.Hash\n` });
    const engine = new ScanEngine();
    await engine.load([dbDir]);
    const rig = await openScanRig(t, { engine });
    const writer = await mustOpen(rig, 'hashed.bin');
    assert.ok((await writeChunks(rig, writer, data, 64 * 1024)).every((s) => s === STATUS_SUCCESS));
    const reader = await openFile(rig, 'hashed.bin', FILE_OPEN);
    if (reader.handle !== null) await rig.stack.api.close(reader.handle);
    assert.equal(reader.status, STATUS_VIRUS_INFECTED);
    assert.equal(rig.quarantined.length, 0, 'left to the writer');
    assert.equal((await rig.stack.api.close(writer)).status, STATUS_VIRUS_INFECTED);
    assert.equal(rig.quarantined.length, 1);
    assert.equal(existsSync(join(rig.folder, 'hashed.bin')), false);
  });

  it('concurrent opens of one infected file share one scan and one quarantine', async (t) => {
    const rig = await openScanRig(t);
    writeFileSync(join(rig.folder, 'v.txt'), EICAR_TEST_STRING);
    const opens = await Promise.all([1, 2, 3].map(() => openFile(rig, 'v.txt', FILE_OPEN)));
    for (const open of opens) if (open.handle !== null) await rig.stack.api.close(open.handle);
    assert.deepEqual(opens.map((o) => o.status), [STATUS_VIRUS_INFECTED, STATUS_VIRUS_INFECTED, STATUS_VIRUS_INFECTED]);
    assert.equal(rig.quarantined.length, 1);
    assert.deepEqual(rig.events.map((e) => `${e.kind}/${e.origin}`), ['threat-found/open', 'quarantined/open']);
    assert.equal(existsSync(join(rig.folder, 'v.txt')), false);
  });

  it("concurrent opens with action 'block' share one verdict and one report", async (t) => {
    const rig = await openScanRig(t, { policy: { action: 'block' } });
    writeFileSync(join(rig.folder, 'v.txt'), EICAR_TEST_STRING);
    const opens = await Promise.all([1, 2, 3].map(() => openFile(rig, 'v.txt', FILE_OPEN)));
    for (const open of opens) if (open.handle !== null) await rig.stack.api.close(open.handle);
    assert.deepEqual(opens.map((o) => o.status), [STATUS_VIRUS_INFECTED, STATUS_VIRUS_INFECTED, STATUS_VIRUS_INFECTED]);
    assert.deepEqual(rig.events.map((e) => `${e.kind}/${e.origin}`), ['threat-found/open', 'blocked/open']);
    assert.equal(existsSync(join(rig.folder, 'v.txt')), true);
  });
});
