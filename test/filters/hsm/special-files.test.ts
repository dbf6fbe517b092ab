// Migration over a folder holding a named pipe and a Unix socket: they are no files (the volume lists them
// as reparse points), so the walk neither copies them to the tier (a read of a pipe would wait for a
// writer for ever) nor puts a stub in their place: it ends, migrates the real files, and leaves them be.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { folderStatus } from '../../../filters/hsm/engine/folder-status.js';
import { migrateFolder } from '../../../filters/hsm/engine/migrate-folder.js';
import { isFifo, isSocket, listenSocket, makeFifo } from '../../volumes/host-special-files.js';
import { makeRig, readThrough } from './hsm-rig.js';

describe('named pipes and sockets in an HSM folder', () => {
  it('migration and status pass them by and leave them as they are', async (t) => {
    const rig = await makeRig(t, { 'a/file.txt': 'in a', 'b.txt': 'bee' });
    makeFifo(join(rig.folder, 'pipe'));
    makeFifo(join(rig.folder, 'a', 'pipe'));
    const closeSocket = await listenSocket(join(rig.folder, 'sock'));
    t.after(closeSocket);

    const summary = await migrateFolder(rig.session.volume);
    assert.deepEqual(summary.files.map((file) => `${file.path} ${file.result}`).sort(), ['\\a\\file.txt released', '\\b.txt released']);
    assert.ok(isFifo(join(rig.folder, 'pipe')) && isFifo(join(rig.folder, 'a', 'pipe')), 'the pipes are still pipes, not stubs');
    assert.ok(isSocket(join(rig.folder, 'sock')), 'the socket is still a socket');
    const status = await folderStatus(rig.session.volume);
    assert.equal(status.files, 2);
    assert.equal((await readThrough(rig, 'b.txt')).toString(), 'bee');
  });
});
