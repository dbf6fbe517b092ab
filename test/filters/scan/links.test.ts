// Symbolic links in a scanned folder: a volume scan neither descends into links nor scans a file under a
// link's name, so a link back to a parent cannot make the scan endless, each file is scanned once, and a
// link to an infected file is not quarantined in its target's place (the target is, where it lies).

import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FILE_OPEN } from '../../../main/io/index.js';
import { EICAR_SIGNATURE_NAME, EICAR_TEST_STRING } from '../../../filters/scan/engine/builtin-signatures.js';
import { openFile, openScanRig } from './scan-rig.js';

describe('scan filter: links', () => {
  it('a volume scan goes through a link loop, scans each file once and quarantines an infected file, not a link to it', async (t) => {
    const rig = await openScanRig(t);
    mkdirSync(join(rig.folder, 'a'));
    writeFileSync(join(rig.folder, 'a', 'file.txt'), 'clean');
    symlinkSync('..', join(rig.folder, 'a', 'up'));
    writeFileSync(join(rig.folder, 'bad.com'), EICAR_TEST_STRING);
    symlinkSync('bad.com', join(rig.folder, 'bad-alias'));
    const mounted = await openFile(rig, 'a\\file.txt', FILE_OPEN);
    await rig.stack.api.close(mounted.handle!);

    const result = await rig.scan.scanVolume(rig.stack.volumePath);
    assert.deepEqual(result.errors, []);
    assert.equal(result.files, 2);
    assert.deepEqual(result.infected, [{ path: '\\bad.com', signature: EICAR_SIGNATURE_NAME }]);
    assert.deepEqual(rig.quarantined.map((item) => item.path), ['\\bad.com']);
    assert.ok(lstatSync(join(rig.folder, 'bad-alias')).isSymbolicLink(), 'the link is left as it was');
    assert.ok(lstatSync(join(rig.folder, 'a', 'up')).isSymbolicLink());
  });
});
