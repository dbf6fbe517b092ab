// Migration: copy to the tier, verify, replace by a stub atomically; the policy's refusals; never an
// open, modified or pinned file; dry runs and cancellation change nothing.

import assert from 'node:assert/strict';
import { utimesSync, writeFileSync } from 'node:fs';
import { readdir, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { migrateFolder } from '../../../filters/hsm/engine/migrate-folder.js';
import { decodeStub } from '../../../filters/hsm/stub/stub-format.js';
import { loadOrCreateStubKey } from '../../../filters/hsm/stub/stub-key.js';
import { FLT_PREOP_SUCCESS_NO_CALLBACK } from '../../../main/fltmgr/index.js';
import { IRP_MJ_CREATE, IRP_MJ_READ, type FileHandle } from '../../../main/io/index.js';
import type { HsmSessionOptions } from '../../../main/cli/commands/hsm/hsm-session.js';
import { OLD, closeFile, hostRead, hostWrite, makeRig, openFile, readThrough, sha256, type HsmRig } from './hsm-rig.js';

describe('migration', () => {
  it('a released file becomes an authenticated stub on disk and its content an object in the tier', async (t) => {
    const content = 'cold data '.repeat(1000);
    const rig = await makeRig(t, { 'docs/report.txt': content });
    const summary = await migrateFolder(rig.session.volume);
    assert.equal(summary.released, 1, JSON.stringify(summary.files));
    assert.equal(summary.bytesReleased, content.length);
    const onDisk = await hostRead(rig, 'docs/report.txt');
    assert.ok(onDisk.length < 400, 'a small stub replaced the file');
    const fields = decodeStub(onDisk, await loadOrCreateStubKey(rig.dataDir), 'x');
    assert.equal(fields.size, content.length);
    assert.equal(fields.sha256, sha256(content));
    assert.equal(fields.mtime, OLD.getTime());
    assert.equal(Math.round((await stat(join(rig.folder, 'docs/report.txt'))).mtimeMs), OLD.getTime(), 'the stub keeps the file\'s modification time');
    const object = await hostRead({ ...rig, folder: join(rig.tierRoot, 'objects', fields.object.slice(0, 2)) }, fields.object);
    assert.equal(object.toString(), content);
    assert.deepEqual(await readdir(join(rig.folder, 'docs')), ['report.txt'], 'no temporary stub is left behind');
    assert.equal(rig.session.volume.journal.pending().length, 0, 'the journal entry is finished');
    assert.equal(rig.session.volume.catalog.get('\\docs\\report.txt')?.sha256, fields.sha256);
    assert.equal((await readThrough(rig, 'docs/report.txt')).toString(), content, 'through Strata it reads the same');
  });
});

/** A minifilter below the HSM (so it sees the HSM's own I/O) that runs `act` at the n-th `major` request on `name`. */
function onNthBelow(major: number, name: string, n: number, act: () => void): HsmSessionOptions['setup'] {
  return (manager) => {
    let seen = 0;
    manager.registerFilter({
      name: 'BelowHsm', altitude: '120000',
      operations: {
        [major]: {
          pre: (data) => {
            if (data.isInternal && data.fileObject!.fileName === name && ++seen === n) act();
            return FLT_PREOP_SUCCESS_NO_CALLBACK;
          },
        },
      },
    }).startFiltering();
  };
}

async function tierObjects(rig: { tierRoot: string }): Promise<string[]> {
  const ids: string[] = [];
  for (const prefix of await readdir(join(rig.tierRoot, 'objects'))) ids.push(...(await readdir(join(rig.tierRoot, 'objects', prefix))));
  return ids;
}

describe('migration policy', () => {
  it('too small, too recent, excluded, not included and pinned files stay; a dry run releases nothing', async (t) => {
    const big = 'x'.repeat(5000);
    const rig = await makeRig(t, {
      'big.bin': big, 'small.txt': 'tiny', 'disc.iso': big, 'pinned/keep.bin': big, 'notes/a.md': big,
    }, { minSize: 1000, minAgeSeconds: 3600, include: ['**/*.bin', '*.iso', 'notes/**'], exclude: ['*.iso', 'notes/a.*'] });
    await hostWrite(rig.folder, 'fresh.bin', big, new Date());
    rig.session.volume.pins.pin('\\pinned');
    const reasons = (summary: Awaited<ReturnType<typeof migrateFolder>>): Record<string, string> =>
      Object.fromEntries(summary.files.map((file) => [file.path, 'reason' in file ? file.reason : file.result]));

    const dry = await migrateFolder(rig.session.volume, { dryRun: true });
    assert.deepEqual(reasons(dry), {
      '\\big.bin': 'would release',
      '\\disc.iso': 'matched by an exclude glob',
      '\\fresh.bin': reasons(dry)['\\fresh.bin']!.startsWith('used ') ? reasons(dry)['\\fresh.bin'] : 'expected "used N s ago"',
      '\\notes\\a.md': 'matched by an exclude glob',
      '\\pinned\\keep.bin': 'pinned (by \\pinned)',
      '\\small.txt': 'smaller than the minimum size (4 < 1000 bytes)',
    });
    // (Reading the file here would count as an access and make it "recent".)
    assert.equal((await stat(join(rig.folder, 'big.bin'))).size, big.length, 'a dry run changes nothing');
    assert.equal(rig.session.volume.catalog.all().length, 0);
    assert.deepEqual(await tierObjects(rig), []);

    const real = await migrateFolder(rig.session.volume);
    assert.equal(real.released, 1, JSON.stringify(real.files));
    assert.equal((await hostRead(rig, 'pinned/keep.bin')).toString(), big);
    assert.equal((await hostRead(rig, 'fresh.bin')).toString(), big);
    assert.notEqual((await hostRead(rig, 'big.bin')).toString(), big);
    const override = await migrateFolder(rig.session.volume, { minAgeSeconds: 0 });
    assert.deepEqual(override.files.filter((file) => file.result === 'released').map((file) => file.path), ['\\fresh.bin'], '--min-age 0 takes the fresh file too');
  });

  it('globs match names as the host spells them, though the volume lists names NT forbids mapped (the CLI session)', async (t) => {
    const big = 'x'.repeat(5000);
    const rig = await makeRig(t, { 'Q3: notes.txt': big, 'Q3: draft.txt': big, 'Q3 plan.txt': big, 'dir|x/end.': big }, { include: ['Q3:*', 'dir|x/*.'], exclude: ['*: draft*'] });
    const summary = await migrateFolder(rig.session.volume, { dryRun: true });
    const outcomes = Object.fromEntries(summary.files.map((file) => [file.path, 'reason' in file ? file.reason : file.result]));
    assert.deepEqual(outcomes, {
      '\\Q3\uF03A notes.txt': 'would release',
      '\\Q3\uF03A draft.txt': 'matched by an exclude glob',
      '\\Q3 plan.txt': 'not matched by the include globs',
      '\\dir\uF07Cx\\end\uF02E': 'would release',
    });
  });

  it('age counts from the later of last access and last write, or from the last write alone', async (t) => {
    const rig = await makeRig(t, { 'read-lately.bin': 'r'.repeat(100) }, { minAgeSeconds: 3600 });
    await utimes(join(rig.folder, 'read-lately.bin'), new Date(), OLD);
    const summary = await migrateFolder(rig.session.volume, { dryRun: true });
    assert.match((summary.files[0] as { reason: string }).reason, /^used \d+ s ago/);
    rig.session.store.db.prepare("UPDATE hsm_folders SET age_basis = 'modification'").run();
    await rig.reopen();
    assert.equal((await migrateFolder(rig.session.volume, { dryRun: true })).eligible, 1);
  });
});

describe('migration never releases', () => {
  it('a file someone has open', async (t) => {
    const rig = await makeRig(t, { 'busy.txt': 'in use' });
    const handle = await openFile(rig, 'busy.txt');
    const summary = await migrateFolder(rig.session.volume);
    assert.deepEqual(summary.files, [{ path: '\\busy.txt', result: 'skipped', reason: 'it is open' }]);
    await closeFile(rig, handle);
    assert.equal((await hostRead(rig, 'busy.txt')).toString(), 'in use');
    assert.deepEqual(await tierObjects(rig), []);
  });

  it('a file opened while it was being copied (its tier copy is removed again)', async (t) => {
    let handle: FileHandle | null = null;
    let opening: Promise<FileHandle> | null = null;
    const rig: HsmRig = await makeRig(t, { 'late.txt': 'opened late' }, {}, {
      setup: onNthBelow(IRP_MJ_READ, '\\late.txt', 1, () => { opening = openFile(rig, 'late.txt'); }),
    });
    const summary = await migrateFolder(rig.session.volume);
    handle = await opening!;
    assert.deepEqual(summary.files, [{ path: '\\late.txt', result: 'skipped', reason: 'it was opened during the copy' }]);
    await closeFile(rig, handle);
    assert.equal((await hostRead(rig, 'late.txt')).toString(), 'opened late');
    await rig.session.volume.idle();
    assert.deepEqual(await tierObjects(rig), []);
    assert.equal(rig.session.volume.catalog.all().length, 0);
  });

  it('a file modified after the copy, even with its size and time restored (the hash tells)', async (t) => {
    const folderOf = (): string => rig.folder;
    const rig: HsmRig = await makeRig(t, { 'edited.txt': 'version one' }, {}, {
      // The second open of the file by the HSM is its "still the same?" check, after the copy.
      setup: onNthBelow(IRP_MJ_CREATE, '\\edited.txt', 2, () => {
        writeFileSync(join(folderOf(), 'edited.txt'), 'version two');
        utimesSync(join(folderOf(), 'edited.txt'), OLD, OLD);
      }),
    });
    const summary = await migrateFolder(rig.session.volume);
    assert.deepEqual(summary.files, [{ path: '\\edited.txt', result: 'skipped', reason: 'it was modified after the copy (content differs)' }]);
    assert.equal((await hostRead(rig, 'edited.txt')).toString(), 'version two');
    await rig.session.volume.idle();
    assert.deepEqual(await tierObjects(rig), []);
  });
});

describe('migration cancellation', () => {
  it('stops at once, inside a copy too, and leaves every file whole', async (t) => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 4; i++) files[`f${i}.bin`] = String(i).repeat(3 << 20);
    const rig = await makeRig(t, files);
    const controller = new AbortController();
    const summary = await migrateFolder(rig.session.volume, {
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.current === '\\f1.bin') setImmediate(() => controller.abort());
      },
    });
    assert.equal(summary.cancelled, true);
    assert.equal(summary.released, 1, JSON.stringify(summary.files));
    for (let i = 1; i < 4; i++) assert.equal((await hostRead(rig, `f${i}.bin`)).toString(), files[`f${i}.bin`]);
    assert.equal((await readThrough(rig, 'f0.bin')).toString(), files['f0.bin']);
    await rig.session.volume.idle();
    assert.deepEqual(await tierObjects(rig), [], 'the released file was recalled; the cancelled copy was removed');
    assert.equal(rig.session.volume.journal.pending().length, 0);
  });
});
