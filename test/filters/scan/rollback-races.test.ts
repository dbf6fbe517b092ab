// The scan filter's rollback when opens of one stream interleave: an open that overwrites a file another
// open has already journalled (its whole-file journal must fill what the older journal has not saved,
// and the stream must not be settled while it is still open), and a rename of the file while its last
// cleanup is pended (the rescan and the rollback follow the file's current name, and a file they cannot
// find is never reported clean nor restored). Each interleaving is a fixed order of API calls.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  FILE_OPEN, FILE_OVERWRITE_IF, FILE_SUPERSEDE, FileInformationClass, STATUS_OBJECT_NAME_NOT_FOUND, STATUS_SUCCESS, STATUS_VIRUS_INFECTED,
} from '../../../main/io/index.js';
import { EICAR_TEST_STRING } from '../../../filters/scan/engine/builtin-signatures.js';
import { bytes } from './helpers.js';
import { mustOpen, openScanRig } from './scan-rig.js';

const ORIGINAL = 'ORIGINAL-CLEAN-CONTENT-'.repeat(10);

describe('an overwrite-open of a stream another open has journalled', () => {
  for (const disposition of [FILE_OVERWRITE_IF, FILE_SUPERSEDE]) {
    it(`(disposition ${disposition}) then infected, while the first open is still open, gets every original byte back`, async (t) => {
      const rig = await openScanRig(t);
      const api = rig.stack.api;
      writeFileSync(join(rig.folder, 'x.txt'), ORIGINAL);
      const first = await mustOpen(rig, 'x.txt', FILE_OPEN);
      assert.equal((await api.write(first, bytes('hello'), 0)).status, STATUS_SUCCESS, 'journals only [0, 5)');
      const second = await mustOpen(rig, 'x.txt', disposition);
      assert.equal((await api.write(second, bytes(EICAR_TEST_STRING), 0)).status, STATUS_VIRUS_INFECTED);
      assert.equal((await api.close(second)).status, STATUS_VIRUS_INFECTED);
      await api.close(first);
      assert.equal(readFileSync(join(rig.folder, 'x.txt'), 'latin1'), ORIGINAL, 'the original, not 5 bytes of it and zeros');
      assert.equal(rig.events.at(-1)?.detail, 'restored');
      assert.deepEqual(readdirSync(rig.stagingDir), [], 'both journals are gone');
    });
  }

  it('then infected after the first open closed cleanly is restored, not deleted', async (t) => {
    const rig = await openScanRig(t);
    const api = rig.stack.api;
    writeFileSync(join(rig.folder, 'x.txt'), ORIGINAL);
    const first = await mustOpen(rig, 'x.txt', FILE_OPEN);
    assert.equal((await api.write(first, bytes('hello'), 0)).status, STATUS_SUCCESS);
    const second = await mustOpen(rig, 'x.txt', FILE_OVERWRITE_IF);
    // The first open's cleanup must not drop the journal while the overwriting open can still write.
    assert.equal((await api.close(first)).status, STATUS_SUCCESS);
    assert.equal((await api.write(second, bytes(EICAR_TEST_STRING), 0)).status, STATUS_VIRUS_INFECTED);
    assert.equal((await api.close(second)).status, STATUS_VIRUS_INFECTED);
    assert.ok(existsSync(join(rig.folder, 'x.txt')), 'a file the stream did not create is never deleted');
    const restored = readFileSync(join(rig.folder, 'x.txt'), 'latin1');
    assert.equal(restored, ORIGINAL, 'the original bytes');
    assert.equal(rig.events.at(-1)?.detail, 'restored');
    assert.deepEqual(readdirSync(rig.stagingDir), [], 'the journal is gone once restored');
  });
});

describe('a rename while the last cleanup of an infected stream is pended', () => {
  // How long the rename waits after the close begins: it lands at each step of the pended cleanup in turn
  // (the name query, the rescan's open, the rollback's open, ...).
  for (const ticks of [0, 1, 2, 3, 4]) {
    it(`(${ticks} turns in) never leaves infected content reported as clean or restored`, async (t) => {
      const rig = await openScanRig(t);
      const api = rig.stack.api;
      const clean = 'clean'.repeat(30);
      writeFileSync(join(rig.folder, 'x.txt'), clean);
      const writer = await mustOpen(rig, 'x.txt', FILE_OPEN);
      const renamer = await mustOpen(rig, 'x.txt', FILE_OPEN);
      // Out of order for the scan (an existing file), each half alone is clean: only the rescan at cleanup sees EICAR.
      assert.equal((await api.write(writer, bytes(EICAR_TEST_STRING.slice(0, 30)), 0)).status, STATUS_SUCCESS);
      assert.equal((await api.write(writer, bytes(EICAR_TEST_STRING.slice(30)), 30)).status, STATUS_SUCCESS);
      const closing = api.close(writer);
      for (let i = 0; i < ticks; i++) await new Promise((resolve) => setImmediate(resolve));
      const renamed = await api.setInformation(renamer, FileInformationClass.FileRenameInformation, { fileName: '\\y.txt', replaceIfExists: false });
      assert.equal(renamed.status, STATUS_SUCCESS);
      const closed = (await closing).status;
      await api.close(renamer);
      assert.ok(!existsSync(join(rig.folder, 'x.txt')));
      const content = readFileSync(join(rig.folder, 'y.txt'), 'latin1');
      const kinds = rig.events.map((event) => `${event.kind}:${event.detail ?? ''}`);
      assert.ok(!kinds.includes('scanned:'), `never reported clean (${kinds.join(' ')})`);
      assert.ok(closed === STATUS_VIRUS_INFECTED || closed === STATUS_OBJECT_NAME_NOT_FOUND, `the cleanup fails (${closed})`);
      if (content.includes(EICAR_TEST_STRING)) {
        assert.equal(closed, STATUS_OBJECT_NAME_NOT_FOUND, 'infected content left: the cleanup says the file was not found');
        assert.ok(!kinds.includes('blocked:restored'), 'and does not say restored');
        assert.notDeepEqual(readdirSync(rig.stagingDir), [], 'the journal is kept');
      } else {
        assert.equal(content, clean, 'rolled back under its new name');
        assert.equal(closed, STATUS_VIRUS_INFECTED);
        assert.ok(kinds.includes('blocked:restored'));
        assert.deepEqual(readdirSync(rig.stagingDir), []);
      }
    });
  }
});
