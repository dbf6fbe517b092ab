// The scan filter above the real HSM filter on one folder: files released to a cold tier (stubs, which
// the HSM reports as FILE_ATTRIBUTE_OFFLINE) are not read by scans on open or volume scans, so scanning
// never triggers a recall; only a policy that allows recalls scans them (and finds what they hold).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FILE_OPEN, STATUS_SUCCESS, STATUS_VIRUS_INFECTED } from '../../../main/io/index.js';
import { EICAR_SIGNATURE_NAME, EICAR_TEST_STRING } from '../../../filters/scan/engine/builtin-signatures.js';
import { registerScanFilter, type ScanFilter } from '../../../filters/scan/index.js';
import { hostRead, makeRig, migrateAll } from '../hsm/hsm-rig.js';
import { seededRandom, tempDir } from './helpers.js';

const random = seededRandom(9001);

describe('scanning an HSM folder', () => {
  it('released files are skipped by the scan on open and by a volume scan: nothing is recalled', async (t) => {
    let scan: ScanFilter | null = null;
    const stagingDir = tempDir(t);
    const content = Buffer.concat([random.bytes(20_000), Buffer.from(EICAR_TEST_STRING, 'latin1')]);
    const rig = await makeRig(t, { 'old/eicar-inside.bin': content, 'old/clean.bin': random.bytes(30_000) }, {}, {
      setup: (manager) => {
        scan = registerScanFilter(manager, { policy: { action: 'block' }, stagingDir });
      },
    });
    await migrateAll(rig);
    const stub = await hostRead(rig, 'old/eicar-inside.bin');
    assert.ok(stub.length < content.length && stub.indexOf(EICAR_TEST_STRING) < 0, 'released: only a stub stays in the folder');

    const api = rig.session.stack.api;
    const opened = await api.createFile(rig.session.stack.pathOf('old/eicar-inside.bin'), { disposition: FILE_OPEN });
    assert.equal(opened.status, STATUS_SUCCESS, 'the open is not held up by a scan of a cold file');
    await api.close(opened.handle!);
    const result = await scan!.scanVolume(rig.session.stack.volumePath);
    assert.deepEqual([result.files, result.skippedOffline, result.infected.length], [2, 2, 0]);
    assert.deepEqual(rig.events.filter((e) => e.kind.startsWith('recall')), [], 'no recall happened');
    assert.ok((await hostRead(rig, 'old/eicar-inside.bin')).equals(stub), 'the stub is untouched');
  });

  it('with recalls allowed, a scan recalls the file and finds what it holds', async (t) => {
    let scan: ScanFilter | null = null;
    const stagingDir = tempDir(t);
    const content = Buffer.concat([random.bytes(20_000), Buffer.from(EICAR_TEST_STRING, 'latin1')]);
    const rig = await makeRig(t, { 'eicar-inside.bin': content }, {}, {
      setup: (manager) => {
        scan = registerScanFilter(manager, { policy: { action: 'block', recallOffline: true }, stagingDir });
      },
    });
    await migrateAll(rig);
    const result = await scan!.scanVolume(rig.session.stack.volumePath);
    assert.deepEqual(result.infected, [{ path: '\\eicar-inside.bin', signature: EICAR_SIGNATURE_NAME }]);
    assert.ok(rig.events.some((e) => e.kind === 'recall-done'), 'the file was recalled to be scanned');
    const opened = await rig.session.stack.api.createFile(rig.session.stack.pathOf('eicar-inside.bin'), { disposition: FILE_OPEN });
    assert.equal(opened.status, STATUS_VIRUS_INFECTED);
  });
});
