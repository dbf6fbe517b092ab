// Symbolic links in an HSM folder: the folder walks (migration, status, fsck) neither descend into links
// nor migrate them, so a link back to a parent cannot make them endless (or fail them at the host's link
// limit), each file is visited once, and a link is never replaced by a stub. A link to a migrated file
// reads its content: the open is reparsed to the file's own name, which the HSM knows. fsck's look at the stubs of
// the tier's other folders, read straight from the host, does not follow links either.

import assert from 'node:assert/strict';
import { lstat, mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openHsmSession } from '../../../main/cli/commands/hsm/hsm-session.js';
import { setFolderPolicy } from '../../../filters/hsm/catalog/folder-policy.js';
import { folderStatus } from '../../../filters/hsm/engine/folder-status.js';
import { fsckFolder } from '../../../filters/hsm/engine/fsck.js';
import { migrateFolder } from '../../../filters/hsm/engine/migrate-folder.js';
import { hostWrite, makeRig, readThrough } from './hsm-rig.js';

/** Links back to a parent and to the directory itself: every path through them is a loop. */
async function plantLoops(directory: string): Promise<void> {
  await symlink('..', join(directory, 'up'));
  await symlink('.', join(directory, 'self'));
}

async function isLink(path: string): Promise<boolean> {
  return (await lstat(path)).isSymbolicLink();
}

describe('links in an HSM folder', () => {
  it('migration, status and fsck visit each file once through link loops, and leave the links links', async (t) => {
    const rig = await makeRig(t, { 'a/file.txt': 'in a', 'b.txt': 'bee' });
    await plantLoops(join(rig.folder, 'a'));
    await symlink('b.txt', join(rig.folder, 'b-alias'));

    const summary = await migrateFolder(rig.session.volume);
    assert.deepEqual(summary.files.map((file) => `${file.path} ${file.result}`).sort(), ['\\a\\file.txt released', '\\b.txt released']);
    for (const link of ['a/up', 'a/self', 'b-alias']) assert.ok(await isLink(join(rig.folder, link)), `${link} is still a link, not a stub`);

    const status = await folderStatus(rig.session.volume);
    assert.equal(status.files, 2);
    assert.equal(status.stubs, 2);
    assert.deepEqual((await fsckFolder(rig.session.volume)).findings, []);
    assert.equal((await readThrough(rig, 'a/file.txt')).toString(), 'in a');
  });

  it('a link to a migrated file reads its content, not the stub: the open is reparsed to the file\'s own name', async (t) => {
    const rig = await makeRig(t, { 'docs/report.txt': 'the real report' });
    await symlink('docs/report.txt', join(rig.folder, 'report-alias'));
    await symlink('docs', join(rig.folder, 'docs-alias'));
    assert.equal((await migrateFolder(rig.session.volume)).released, 1);
    assert.equal((await readThrough(rig, 'report-alias')).toString(), 'the real report');
    assert.equal((await readThrough(rig, 'docs-alias/report.txt')).toString(), 'the real report');
  });

  it("fsck reads another folder's stubs on the tier without following its links: a loop there ends", async (t) => {
    const rig = await makeRig(t, { 'mine.txt': 'in folder one' });
    const other = join(rig.root, 'other');
    await mkdir(other);
    await hostWrite(other, 'sub/theirs.txt', 'in folder two');
    setFolderPolicy(rig.session.store.db, other, { tier: 'cold', minAgeSeconds: 0, minSize: 0 });
    const second = await openHsmSession({ dataDir: rig.dataDir, folder: other, verifier: true });
    try {
      assert.equal((await migrateFolder(second.volume)).released, 1);
    } finally {
      await second.close();
    }
    await plantLoops(join(other, 'sub'));
    const report = await fsckFolder(rig.session.volume, { repair: true });
    assert.deepEqual(report.findings, []);
  });
});
