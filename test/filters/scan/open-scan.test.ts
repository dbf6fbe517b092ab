// The scan filter on opens and mounts: an infected file is refused when opened (and quarantined per
// policy), unchanged files reuse their cached verdict, Strata's own I/O and offline (HSM stub) files
// are not scanned, and a removable volume is scanned when it is mounted.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  FILE_ATTRIBUTE_OFFLINE, FILE_OPEN, FILE_OPEN_IF, FileInformationClass, IoManager, NtFileApi, STATUS_SUCCESS,
  STATUS_VIRUS_INFECTED,
} from '../../../main/io/index.js';
import { FilterManager } from '../../../main/fltmgr/index.js';
import { createStorageDevice, registerVolumeFileSystems, removeStorageDevice } from '../../../main/volumes/index.js';
import { openFolderStack } from '../../../main/agent/folder-stack.js';
import { EICAR_SIGNATURE_NAME, EICAR_TEST_STRING } from '../../../filters/scan/engine/builtin-signatures.js';
import { registerScanFilter, type VolumeScanResult } from '../../../filters/scan/index.js';
import { bytes, seededRandom, tempDir, writeDatabases } from './helpers.js';
import { openFile, openScanRig } from './scan-rig.js';

const random = seededRandom(77);

describe('scan on open', () => {
  it('an infected file is refused with STATUS_VIRUS_INFECTED, moved to quarantine and removed', async (t) => {
    const rig = await openScanRig(t);
    writeFileSync(join(rig.folder, 'eicar.com'), EICAR_TEST_STRING);
    const { status } = await openFile(rig, 'eicar.com', FILE_OPEN);
    assert.equal(status, STATUS_VIRUS_INFECTED);
    assert.equal(existsSync(join(rig.folder, 'eicar.com')), false);
    assert.deepEqual(rig.quarantined.map((q) => [q.path, q.signature, Buffer.from(q.content).toString('latin1')]), [['\\eicar.com', EICAR_SIGNATURE_NAME, EICAR_TEST_STRING]]);
    assert.deepEqual(rig.events.map((e) => `${e.kind}/${e.origin}`), ['threat-found/open', 'quarantined/open']);
  });

  it("with action 'block' the open is refused and the file stays; with 'report' it opens", async (t) => {
    const blocking = await openScanRig(t, { policy: { action: 'block' } });
    writeFileSync(join(blocking.folder, 'eicar.com'), EICAR_TEST_STRING);
    assert.equal((await openFile(blocking, 'eicar.com', FILE_OPEN)).status, STATUS_VIRUS_INFECTED);
    assert.equal(existsSync(join(blocking.folder, 'eicar.com')), true);
    const reporting = await openScanRig(t, { policy: { action: 'report' } });
    writeFileSync(join(reporting.folder, 'eicar.com'), EICAR_TEST_STRING);
    const opened = await openFile(reporting, 'eicar.com', FILE_OPEN_IF);
    assert.equal(opened.status, STATUS_SUCCESS);
    await reporting.stack.api.close(opened.handle!);
    assert.equal(reporting.events[0]?.kind, 'threat-found');
  });

  it('an unchanged file reuses its cached verdict; a changed time or a new database means a rescan', async (t) => {
    const rig = await openScanRig(t, { policy: { action: 'block' } });
    const path = join(rig.folder, 'doc.txt');
    const clean = Buffer.from(random.bytes(EICAR_TEST_STRING.length));
    writeFileSync(path, clean);
    const opened = await openFile(rig, 'doc.txt', FILE_OPEN);
    assert.equal(opened.status, STATUS_SUCCESS);
    await rig.stack.api.close(opened.handle!);
    // Same size, same last-write time: to the cache it is the same file (this shows the cache is used).
    const { atime, mtime } = statSync(path);
    writeFileSync(path, EICAR_TEST_STRING);
    utimesSync(path, atime, mtime);
    const cached = await openFile(rig, 'doc.txt', FILE_OPEN);
    assert.equal(cached.status, STATUS_SUCCESS, 'the cached clean verdict is reused');
    await rig.stack.api.close(cached.handle!);
    utimesSync(path, atime, new Date(mtime.getTime() + 5000));
    assert.equal((await openFile(rig, 'doc.txt', FILE_OPEN)).status, STATUS_VIRUS_INFECTED, 'a changed file is scanned again');

    writeFileSync(path, 'plain text, matched only by a database loaded later');
    const reopened = await openFile(rig, 'doc.txt', FILE_OPEN);
    assert.equal(reopened.status, STATUS_SUCCESS);
    await rig.stack.api.close(reopened.handle!);
    const dbDir = tempDir(t);
    writeDatabases(dbDir, { 'later.ndb': `Strata.Test.Later:0:*:${Buffer.from('loaded later').toString('hex')}\n` });
    await rig.scan.engine.load([dbDir]);
    assert.equal((await openFile(rig, 'doc.txt', FILE_OPEN)).status, STATUS_VIRUS_INFECTED, 'the new database is applied at once');
  });

  it("Strata's own I/O is not scanned, and scanOnOpen off lets opens through", async (t) => {
    const rig = await openScanRig(t, { policy: { action: 'block' } });
    writeFileSync(join(rig.folder, 'eicar.com'), EICAR_TEST_STRING);
    const internal = await rig.stack.api.createFile(rig.stack.pathOf('eicar.com'), { disposition: FILE_OPEN, internal: true });
    assert.equal(internal.status, STATUS_SUCCESS);
    await rig.stack.api.close(internal.handle!);
    rig.scan.setPolicy({ scanOnOpen: false });
    const opened = await openFile(rig, 'eicar.com', FILE_OPEN);
    assert.equal(opened.status, STATUS_SUCCESS);
    await rig.stack.api.close(opened.handle!);
    assert.deepEqual(rig.events, []);
  });

  it('offline files (HSM stubs) are not read, so never recalled, unless the policy asks for recalls', async (t) => {
    const io = new IoManager({ verifier: true });
    const manager = new FilterManager(io);
    registerVolumeFileSystems(io);
    const scan = registerScanFilter(manager, { policy: { action: 'block' }, stagingDir: tempDir(t) });
    const device = createStorageDevice(io, { name: '\\Device\\ScanOfflineTest', source: { kind: 'memory' } });
    const api = new NtFileApi(io);
    const path = '\\Device\\ScanOfflineTest\\stub.bin';
    // Planted as Strata's own I/O (not scanned), then marked offline as the HSM filter reports stubs.
    const planted = await api.createFile(path, { disposition: FILE_OPEN_IF, internal: true });
    await api.write(planted.handle!, bytes(EICAR_TEST_STRING), 0);
    await api.setInformation(planted.handle!, FileInformationClass.FileBasicInformation, { fileAttributes: FILE_ATTRIBUTE_OFFLINE });
    await api.close(planted.handle!);
    const opened = await api.createFile(path, { disposition: FILE_OPEN });
    assert.equal(opened.status, STATUS_SUCCESS, 'an offline file is not read on open');
    await api.close(opened.handle!);
    const media = await scan.scanVolume('\\Device\\ScanOfflineTest');
    assert.deepEqual([media.files, media.skippedOffline, media.infected.length], [1, 1, 0], 'nor by a volume scan');
    scan.setPolicy({ recallOffline: true });
    assert.equal((await api.createFile(path, { disposition: FILE_OPEN })).status, STATUS_VIRUS_INFECTED, 'unless recalls are allowed');
    await removeStorageDevice(io, device);
    io.assertNoLeakedIrps();
  });
});

describe('removable media and volume scans', () => {
  it('a removable volume is scanned when it is mounted: infected files are quarantined, the rest reported clean', async (t) => {
    const folder = tempDir(t, 'strata-medium-');
    mkdirSync(join(folder, 'photos'));
    writeFileSync(join(folder, 'photos', 'a.jpg'), random.bytes(50_000));
    writeFileSync(join(folder, 'photos', 'b.jpg'), random.bytes(70_000));
    writeFileSync(join(folder, 'autorun.com'), EICAR_TEST_STRING);
    let result: VolumeScanResult | null = null;
    const quarantined: string[] = [];
    let scanFilter: ReturnType<typeof registerScanFilter> | null = null;
    const stack = await openFolderStack(folder, {
      verifier: true,
      removable: true,
      setup: (manager) => {
        scanFilter = registerScanFilter(manager, {
          stagingDir: tempDir(t),
          sink: { quarantine: async (item) => (quarantined.push(item.path), 'q1') },
          onMediaScanned: (r) => (result = r),
        });
      },
    });
    t.after(() => stack.close());
    // The first open mounts the volume; the scan runs right after the mount completes.
    const opened = await stack.api.createFile(stack.pathOf('photos\\a.jpg'), { disposition: FILE_OPEN });
    await stack.api.close(opened.handle!);
    await Promise.all(scanFilter!.pendingMediaScans);
    const done = result as VolumeScanResult | null;
    assert.ok(done !== null, 'the media scan ran');
    assert.deepEqual(done.infected, [{ path: '\\autorun.com', signature: EICAR_SIGNATURE_NAME }]);
    assert.equal(done.files, 3);
    assert.deepEqual(quarantined, ['\\autorun.com']);
    assert.equal(existsSync(join(folder, 'autorun.com')), false);
  });

  it('a volume scan reports progress and stops when cancelled', async (t) => {
    const rig = await openScanRig(t);
    for (let i = 0; i < 20; i++) writeFileSync(join(rig.folder, `f${i}.bin`), random.bytes(10_000));
    const warmup = await openFile(rig, 'f0.bin', FILE_OPEN);
    await rig.stack.api.close(warmup.handle!);
    const full = await rig.scan.scanVolume(rig.stack.volumePath, { onProgress: () => {} });
    assert.deepEqual([full.files, full.cancelled, full.infected.length], [20, false, 0]);
    const controller = new AbortController();
    const seen: number[] = [];
    const partial = await rig.scan.scanVolume(rig.stack.volumePath, {
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.files);
        if (p.files === 5) controller.abort();
      },
    });
    assert.equal(partial.cancelled, true);
    assert.equal(partial.files, 5);
    assert.deepEqual(seen, [1, 2, 3, 4, 5]);
  });

  it('a volume scan leaves out what the caller says it owns (files and whole folders), even infected', async (t) => {
    const rig = await openScanRig(t);
    mkdirSync(join(rig.folder, '.own'));
    writeFileSync(join(rig.folder, '.own', 'infected.com'), EICAR_TEST_STRING);
    writeFileSync(join(rig.folder, 'working-copy.tmp'), EICAR_TEST_STRING);
    writeFileSync(join(rig.folder, 'user.txt'), 'mine');
    const mounted = await openFile(rig, 'user.txt', FILE_OPEN);
    await rig.stack.api.close(mounted.handle!);
    const skipped: string[] = [];
    const result = await rig.scan.scanVolume(rig.stack.volumePath, {
      skip: (path) => {
        const own = path === '\\.own' || path.endsWith('.tmp');
        if (own) skipped.push(path);
        return own;
      },
    });
    assert.deepEqual([result.files, result.infected.length], [1, 0]);
    assert.deepEqual(skipped.sort(), ['\\.own', '\\working-copy.tmp']);
    const all = await rig.scan.scanVolume(rig.stack.volumePath);
    assert.deepEqual([all.files, all.infected.length], [3, 2], 'without skip both infected files are found');
  });
});
