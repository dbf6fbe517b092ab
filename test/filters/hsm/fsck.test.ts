// fsck: every kind of damage is found and reported; --repair fixes only what cannot lose data, and an
// object that an authentic stub still names — even one the catalog forgot, even in another folder —
// is never deleted.

import assert from 'node:assert/strict';
import { mkdir, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openHsmSession } from '../../../main/cli/commands/hsm/hsm-session.js';
import { fsckFolder, type FindingKind, type FsckReport } from '../../../filters/hsm/engine/fsck.js';
import { migrateFolder } from '../../../filters/hsm/engine/migrate-folder.js';
import { setFolderPolicy } from '../../../filters/hsm/catalog/folder-policy.js';
import { hostRead, hostWrite, makeRig, migrateAll, readThrough, type HsmRig } from './hsm-rig.js';

async function objectOf(rig: HsmRig, name: string): Promise<string> {
  return /"object":"([0-9a-f]{64})"/.exec((await hostRead(rig, name)).toString())![1]!;
}

const objectPath = (rig: HsmRig, id: string): string => join(rig.tierRoot, 'objects', id.slice(0, 2), id);

async function tierObjects(rig: HsmRig): Promise<string[]> {
  const ids: string[] = [];
  for (const prefix of await readdir(join(rig.tierRoot, 'objects'))) ids.push(...(await readdir(join(rig.tierRoot, 'objects', prefix))));
  return ids.sort();
}

function kinds(report: FsckReport): Record<string, FindingKind> {
  return Object.fromEntries(report.findings.map((finding) => [finding.subject, finding.kind]));
}

describe('fsck', () => {
  it('a healthy folder has nothing to report', async (t) => {
    const rig = await makeRig(t, { 'a.txt': 'alpha', 'b/c.txt': 'gamma', 'plain-and-big.bin': 'x'.repeat(5000) }, { minSize: 1 });
    await migrateAll(rig);
    const report = await fsckFolder(rig.session.volume);
    assert.deepEqual(report.findings, []);
    assert.equal(report.stubs, 3);
    assert.equal(report.objectsChecked, 3);
  });

  it('finds each kind of damage, changes nothing without --repair, and repairs only what is safe', async (t) => {
    const files = {
      'lost.txt': 'its object will vanish', 'rotten.txt': 'its object will rot', 'edited.txt': 'its stub will be edited',
      'forgotten.txt': 'the catalog will forget it', 'replaced.txt': 'replaced behind Strata\'s back',
    };
    const rig = await makeRig(t, files);
    await migrateAll(rig);
    const db = rig.session.store.db;
    await unlink(objectPath(rig, await objectOf(rig, 'lost.txt')));
    await writeFile(objectPath(rig, await objectOf(rig, 'rotten.txt')), 'its object will ROT');
    const editedObject = await objectOf(rig, 'edited.txt');
    const edited = (await hostRead(rig, 'edited.txt')).toString().replace('"size":', '"size":1');
    await writeFile(join(rig.folder, 'edited.txt'), edited);
    const forgottenObject = await objectOf(rig, 'forgotten.txt');
    db.prepare("DELETE FROM hsm_stubs WHERE path = '\\forgotten.txt'").run();
    const replacedObject = await objectOf(rig, 'replaced.txt');
    await hostWrite(rig.folder, 'replaced.txt', 'new plain content');
    const orphan = await rig.session.volume.tier('cold').put((async function* () { yield new TextEncoder().encode('nobody uses me'); })());
    await hostWrite(rig.folder, 'sub/.strata-hsm-99.tmp', 'left over');

    const before = await tierObjects(rig);
    const report = await fsckFolder(rig.session.volume);
    assert.deepEqual(kinds(report), {
      '\\lost.txt': 'stub-without-object',
      '\\rotten.txt': 'object-damaged',
      '\\edited.txt': 'invalid-stub',
      '\\forgotten.txt': 'uncataloged-stub',
      '\\replaced.txt': 'stale-row',
      [orphan.objectId]: 'orphan-object',
      '\\sub\\.strata-hsm-99.tmp': 'stray-temp-stub',
    });
    assert.equal(report.problems, 7);
    assert.deepEqual(await tierObjects(rig), before, 'without --repair nothing changes');
    assert.equal(rig.session.volume.catalog.get('\\forgotten.txt'), null);

    const repaired = await fsckFolder(rig.session.volume, { repair: true });
    const byKind = Object.fromEntries(repaired.findings.map((finding) => [finding.kind, finding.repaired]));
    assert.deepEqual(byKind, {
      'stub-without-object': false, 'object-damaged': false, 'invalid-stub': false, 'uncataloged-stub': true,
      'stale-row': true, 'orphan-object': true, 'stray-temp-stub': true,
    });
    const after = await tierObjects(rig);
    assert.ok(after.includes(forgottenObject), 'the forgotten stub\'s only copy is kept');
    assert.ok(after.includes(editedObject), 'so is the copy of a file whose stub was edited (a backup may put it right)');
    assert.ok(!after.includes(orphan.objectId));
    assert.ok(!after.includes(replacedObject), 'the replaced file\'s old copy was no one\'s any more');
    assert.equal((await readThrough(rig, 'forgotten.txt')).toString(), files['forgotten.txt'], 'the forgotten stub recalls again');
    assert.equal((await hostRead(rig, 'edited.txt')).toString(), edited, 'an invalid stub is never "repaired"');
    assert.deepEqual(await readdir(join(rig.folder, 'sub')), []);
    const third = await fsckFolder(rig.session.volume, { repair: true });
    assert.deepEqual(third.findings.map((finding) => finding.kind).sort(), ['invalid-stub', 'object-damaged', 'stub-without-object']);
  });

  it('never deletes an object that a stub in another folder on the same tier names, even uncataloged', async (t) => {
    const rig = await makeRig(t, { 'mine.txt': 'in folder one' });
    const other = join(rig.root, 'other');
    await mkdir(other);
    await hostWrite(other, 'theirs.txt', 'in folder two');
    setFolderPolicy(rig.session.store.db, other, { tier: 'cold', minAgeSeconds: 0, minSize: 0 });
    const second = await openHsmSession({ dataDir: rig.dataDir, folder: other, verifier: true });
    assert.equal((await migrateFolder(second.volume)).released, 1);
    await second.close();
    const theirs = /"object":"([0-9a-f]{64})"/.exec((await hostRead({ ...rig, folder: other }, 'theirs.txt')).toString())![1]!;
    rig.session.store.db.prepare("DELETE FROM hsm_stubs WHERE path = '\\theirs.txt'").run();
    const report = await fsckFolder(rig.session.volume, { repair: true });
    assert.deepEqual(report.findings, []);
    assert.ok((await tierObjects(rig)).includes(theirs));
  });

  it('an unreachable tier is reported, and nothing of it is judged', async (t) => {
    const rig = await makeRig(t, { 'a.txt': 'alpha' });
    await migrateAll(rig);
    await rename(rig.tierRoot, `${rig.tierRoot}-away`);
    const report = await fsckFolder(rig.session.volume, { repair: true });
    assert.deepEqual(report.findings.map((finding) => [finding.kind, finding.subject, finding.repaired]), [['tier-unreachable', 'cold', false]]);
    await rm(`${rig.tierRoot}-away`, { recursive: true });
  });
});
