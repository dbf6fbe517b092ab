// Journal recovery at start, for entries the random-kill crash test cannot reach, written by hand: a
// recall entry that holds none of its fields (what a crash between the two statements of an earlier
// build's Journal.begin left), next to an ordinary unfinished migration; the state a power cut leaves
// when the last commits of a migration are lost but its fsync'd stub rename survived (the journal behind
// the disk, no catalog row); a migration whose tier was removed from the configuration after the crash.
// Every entry is cleared, and every file reads.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Journal, type JournalStep } from '../../../filters/hsm/catalog/journal.js';
import { openStore } from '../../../main/store/index.js';
import { hostRead, makeRig, migrateAll, readThrough } from './hsm-rig.js';

const DOC = Buffer.from('the content of a cold file\n'.repeat(2000));
const NOTE = Buffer.from('a warm file\n'.repeat(500));

describe('journal recovery', () => {
  it('a recall entry without its fields is rolled back, and does not hold back the entries after it', async (t) => {
    const rig = await makeRig(t, { 'doc.bin': DOC });
    await migrateAll(rig);
    const { journal } = rig.session.volume;
    const bare = journal.begin('recall', '\\doc.bin', 'cold', 'started');
    journal.begin('migrate', '\\note.txt', 'cold', 'planned', { size: NOTE.length });
    assert.equal(journal.get(bare)?.stub, null, 'the entry is as bare as the crash left it');

    const session = await rig.reopen();
    await session.volume.ready;
    assert.deepEqual(session.volume.journal.pending(), [], 'both entries are finished');
    const recovered = rig.events.filter((event) => event.kind === 'recovered').map((event) => event.path).sort();
    assert.deepEqual(recovered, ['\\doc.bin', '\\note.txt']);
    assert.equal(rig.events.some((event) => event.kind === 'warning'), false, 'recovery reported no failure');
    assert.deepEqual(await readThrough(rig, 'doc.bin'), DOC, 'the stub still recalls');
  });

  for (const step of ['planned', 'copied', 'verified'] as JournalStep[]) {
    it(`a migration whose stub had replaced the file is completed, with its journal lost back to '${step}'`, async (t) => {
      const rig = await makeRig(t, { 'doc.bin': DOC });
      await migrateAll(rig);
      const folderId = rig.session.folder.id;
      const row = rig.session.volume.catalog.get('\\doc.bin')!;
      assert.ok(row !== null, 'released');
      const object = join(rig.tierRoot, 'objects', row.object.slice(0, 2), row.object);
      await rig.session.close();
      // What a lost WAL tail leaves: the journal back at `step` (with what that step had recorded), no
      // catalog row, while the stub that replaced the file is on disk.
      const store = openStore(rig.dataDir);
      try {
        store.db.prepare('DELETE FROM hsm_stubs WHERE path = ?').run('\\doc.bin');
        const recorded = step === 'planned' ? {} : { sha256: row.sha256, object: row.object };
        new Journal(store.db, folderId).begin('migrate', '\\doc.bin', row.tier, step, { size: row.size, mtime: row.mtime, atime: row.atime, ...recorded });
      } finally {
        store.close();
      }
      assert.ok((await hostRead(rig, 'doc.bin')).length < 1024, 'the file on disk is the stub');

      const session = await rig.reopen();
      await session.volume.ready;
      assert.deepEqual(session.volume.journal.pending(), [], 'the entry is finished');
      const recovered = rig.events.filter((event) => event.kind === 'recovered');
      assert.deepEqual(recovered.map((event) => event.kind === 'recovered' && event.action), ['completed']);
      assert.ok(existsSync(object), 'the tier copy, the only one, is kept');
      assert.equal(session.volume.catalog.get('\\doc.bin')?.object, row.object, 'the stub is cataloged again');
      assert.deepEqual(await readThrough(rig, 'doc.bin'), DOC, 'the file reads back whole');
    });
  }

  it('a planned migration naming a tier no longer configured is rolled back, at the first start', async (t) => {
    const rig = await makeRig(t, { 'doc.bin': DOC });
    const { journal } = rig.session.volume;
    journal.begin('migrate', '\\doc.bin', 'removed-tier', 'planned', { size: DOC.length });

    const session = await rig.reopen();
    await session.volume.ready;
    assert.deepEqual(session.volume.journal.pending(), [], 'the entry is finished');
    assert.deepEqual(rig.events.filter((event) => event.kind === 'warning'), [], 'recovery reported no failure');
    const recovered = rig.events.filter((event) => event.kind === 'recovered');
    assert.deepEqual(recovered.map((event) => event.kind === 'recovered' && event.action), ['rolled back']);
    assert.deepEqual(await readThrough(rig, 'doc.bin'), DOC, 'the original is untouched');
  });
});
