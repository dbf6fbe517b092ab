// Renames of stubs and crashes: a child process renames a stub (or a directory holding one) through the
// stack and is killed (SIGKILL) after the rename happened on disk, before the filter's post-callback
// moved the catalog rows. At the next start the stub at its new name still has its row, so it reads as
// its file, not as its stub's bytes. And a rename that fails leaves the rows as they were.

import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { FileInformationClass, STATUS_OBJECT_NAME_COLLISION } from '../../../main/io/index.js';
import { closeFile, expectStatus, hostRead, makeRig, migrateAll, openFile, readThrough, type HsmRig } from './hsm-rig.js';

const CHILD = fileURLToPath(new URL('./rename-crash-child.js', import.meta.url));

const DOC = Buffer.from('the content of a cold file\n'.repeat(2000));
const INNER = Buffer.from('a cold file in a directory\n'.repeat(1500));

/** Runs the child renaming `from` to `to`, killed when the rename's post-callback begins; resolves with how it ended. */
function renameAndCrash(rig: HsmRig, from: string, to: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, STRATA_HSM_CRASH_AT: 'rename-post' };
    const child = fork(CHILD, [rig.dataDir, rig.folder, from, to], { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal === null ? reject(new Error(`the child was not killed (exit ${code}): ${stderr}`)) : resolve(signal)));
  });
}

describe('renames of stubs and crashes', () => {
  it('a stub renamed just before a crash reads as its file at its new name, and so does one in a renamed directory', async (t) => {
    const rig = await makeRig(t, { 'doc.bin': DOC, 'dir/inner.bin': INNER });
    await migrateAll(rig);
    await rig.session.close();

    assert.equal(await renameAndCrash(rig, 'doc.bin', '\\renamed.bin'), 'SIGKILL');
    assert.equal(await renameAndCrash(rig, 'dir', '\\moved'), 'SIGKILL');
    assert.ok((await hostRead(rig, 'renamed.bin')).length < 1024, 'the stub was renamed on disk');
    assert.ok((await hostRead(rig, 'moved/inner.bin')).length < 1024, 'the directory was renamed on disk');

    await rig.reopen();
    assert.deepEqual(await readThrough(rig, 'renamed.bin'), DOC);
    assert.deepEqual(await readThrough(rig, 'moved\\inner.bin'), INNER);
  });

  it('a rename of a stub onto another that fails leaves both rows as they were', async (t) => {
    const rig = await makeRig(t, { 'a.bin': DOC, 'b.bin': INNER });
    await migrateAll(rig);
    const { catalog } = rig.session.volume;
    const before = [catalog.get('\\a.bin'), catalog.get('\\b.bin')];
    const handle = await openFile(rig, 'a.bin');
    const renamed = await rig.session.stack.api.setInformation(handle, FileInformationClass.FileRenameInformation, { fileName: '\\b.bin', replaceIfExists: false });
    expectStatus(renamed.status, STATUS_OBJECT_NAME_COLLISION, 'rename a.bin onto b.bin without replacing');
    await closeFile(rig, handle);
    assert.deepEqual([catalog.get('\\a.bin')?.object, catalog.get('\\b.bin')?.object], before.map((row) => row?.object));
    assert.deepEqual(await readThrough(rig, 'a.bin'), DOC);
    assert.deepEqual(await readThrough(rig, 'b.bin'), INNER);
  });
});
