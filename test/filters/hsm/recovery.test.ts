// Journal recovery at start, for entries the random-kill crash test reaches only by chance: a recall
// entry that holds none of its fields (what a crash between the two statements of an earlier build's
// Journal.begin left), next to an ordinary unfinished migration. Both are cleared, and every file reads.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeRig, migrateAll, readThrough } from './hsm-rig.js';

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
});
