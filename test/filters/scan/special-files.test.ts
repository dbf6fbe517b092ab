// A volume scan over a folder holding a named pipe and a Unix socket: they are no files (the volume lists
// them as reparse points), so the scan neither opens nor reads them (a read of a pipe would wait for a
// writer for ever): it ends, scans the real files, and leaves the pipe and the socket as they were.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FILE_OPEN } from '../../../main/io/index.js';
import { EICAR_SIGNATURE_NAME, EICAR_TEST_STRING } from '../../../filters/scan/engine/builtin-signatures.js';
import { isFifo, isSocket, listenSocket, makeFifo } from '../../volumes/host-special-files.js';
import { openFile, openScanRig } from './scan-rig.js';

describe('scan filter: entries that are no files', () => {
  it('a volume scan passes named pipes and sockets by, and scans the files around them', async (t) => {
    const rig = await openScanRig(t);
    mkdirSync(join(rig.folder, 'a'));
    writeFileSync(join(rig.folder, 'a', 'clean.txt'), 'clean');
    writeFileSync(join(rig.folder, 'bad.com'), EICAR_TEST_STRING);
    makeFifo(join(rig.folder, 'pipe'));
    makeFifo(join(rig.folder, 'a', 'pipe'));
    const closeSocket = await listenSocket(join(rig.folder, 'sock'));
    t.after(closeSocket);
    const mounted = await openFile(rig, 'a\\clean.txt', FILE_OPEN);
    await rig.stack.api.close(mounted.handle!);

    const result = await rig.scan.scanVolume(rig.stack.volumePath);
    assert.deepEqual(result.errors, []);
    assert.equal(result.files, 2);
    assert.deepEqual(result.infected, [{ path: '\\bad.com', signature: EICAR_SIGNATURE_NAME }]);
    assert.ok(isFifo(join(rig.folder, 'pipe')) && isFifo(join(rig.folder, 'a', 'pipe')), 'the pipes are left as they were');
    assert.ok(isSocket(join(rig.folder, 'sock')), 'the socket is left as it was');
  });
});
