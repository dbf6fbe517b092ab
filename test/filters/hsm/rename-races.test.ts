// Renames racing with the HSM's own work: a rename onto a file while the migration swaps that file for
// its stub waits for the swap (the user's file wins, cataloged as nothing); a rename of a stub whose
// recall has started waits for the recall (the recall fills the file it started on, not whatever is
// at that name by the time it gets there).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { migrateFolder } from '../../../filters/hsm/engine/migrate-folder.js';
import type { OpenFile } from '../../../filters/hsm/volume/below-io.js';
import { FILE_CREATE, FileInformationClass, STATUS_SUCCESS, statusName } from '../../../main/io/index.js';
import { closeFile, expectStatus, hostRead, makeRig, migrateAll, openFile, readThrough } from './hsm-rig.js';

const OLD_CONTENT = Buffer.alloc(64 << 10, 'O');

describe('renames racing with the HSM', () => {
  it('a rename over a file being replaced by its stub waits for the swap, and the renamed file stays whole', async (t) => {
    const rig = await makeRig(t, { 'a.txt': 'AAAA old content of a', 'b.txt': 'BBBB precious new content' }, { include: ['a.txt'] });
    const volume = rig.session.volume;
    const { stack } = rig.session;
    const flush = volume.io.flush.bind(volume.io);
    let renaming: Promise<number> | null = null;
    // Fault injection: the user's save-by-rename lands while the temporary stub is fsync'd, that is with
    // the gate on a.txt closed, after the last look at a.txt and before the stub is renamed over it.
    volume.io.flush = async (file: OpenFile) => {
      if (renaming === null && /\.strata-hsm-\d+\.tmp$/.test(file.path)) {
        let done = false;
        renaming = (async () => {
          const b = await stack.api.createFile(stack.pathOf('b.txt'), {});
          expectStatus(b.status, STATUS_SUCCESS, 'open b.txt');
          const renamed = await stack.api.setInformation(b.handle!, FileInformationClass.FileRenameInformation, { fileName: '\\a.txt', replaceIfExists: true });
          await stack.api.close(b.handle!);
          return renamed.status;
        })().finally(() => (done = true));
        // Until the rename is either over or held by the filter: no time-based guess.
        while (!done && volume.instance.pendedPreOperations === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      return flush(file);
    };
    const summary = await migrateFolder(volume);
    assert.ok(renaming !== null, 'the temporary stub was flushed');
    const status = await renaming;
    assert.equal(status, STATUS_SUCCESS, statusName(status));
    await volume.idle();
    assert.equal(summary.failed, 0, JSON.stringify(summary.files));
    assert.equal((await hostRead(rig, 'a.txt')).toString(), 'BBBB precious new content');
    assert.equal((await readThrough(rig, 'a.txt')).toString(), 'BBBB precious new content');
    assert.equal(volume.catalog.get('\\a.txt'), null);
  });

  it('a rename of a stub whose recall has started waits for the recall, and a new file at the old name is left alone', async (t) => {
    const rig = await makeRig(t, { 's.bin': OLD_CONTENT });
    await migrateAll(rig);
    const { stack } = rig.session;
    const handle = await openFile(rig, 's.bin');
    const reading = stack.api.read(handle, 4, 0);
    const renamed = await stack.api.setInformation(handle, FileInformationClass.FileRenameInformation, { fileName: '\\t.bin', replaceIfExists: false });
    expectStatus(renamed.status, STATUS_SUCCESS, 'rename s.bin to t.bin');
    const created = await stack.api.createFile(stack.pathOf('s.bin'), { disposition: FILE_CREATE });
    expectStatus(created.status, STATUS_SUCCESS, 'create a new s.bin');
    expectStatus((await stack.api.write(created.handle!, Buffer.from('fresh s'), 0)).status, STATUS_SUCCESS, 'write the new s.bin');
    await stack.api.close(created.handle!);
    const read = await reading;
    expectStatus(read.status, STATUS_SUCCESS, 'read');
    assert.equal(Buffer.from(read.data).toString(), 'OOOO');
    await closeFile(rig, handle);
    await rig.session.volume.idle();
    assert.equal((await hostRead(rig, 's.bin')).toString(), 'fresh s');
    assert.deepEqual(await hostRead(rig, 't.bin'), OLD_CONTENT);
    assert.deepEqual(await readThrough(rig, 't.bin'), OLD_CONTENT);
    assert.equal(rig.session.volume.catalog.get('\\t.bin'), null);
  });
});
