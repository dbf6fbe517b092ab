// Durability of the HSM's commits that a file-system step depends on. The store runs SQLite in WAL mode
// with synchronous = NORMAL, which does not sync a commit; a power cut could then keep an fsync'd stub
// rename and lose the journal step and row before it. Power cannot be cut in a test, so the test watches
// from inside SQLite: temporary triggers on the session's own connection record, for each write to the
// journal and the catalog, the connection's synchronous level at that moment (a level cannot change
// inside a transaction, so it is the level its commit ran with: 2 = FULL, which in WAL mode syncs the
// WAL at the commit) and whether the renamed file was already at its new name on disk.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Database } from 'better-sqlite3';
import { FileInformationClass } from '../../../main/io/index.js';
import { closeFile, expectStatus, makeRig, migrateAll, openFile, readThrough, type HsmRig } from './hsm-rig.js';

const DOC = Buffer.from('a file whose only copy ends up in the tier\n'.repeat(1000));
const FULL = 2;

interface Write {
  table: 'journal' | 'stubs';
  op: 'insert' | 'update' | 'delete';
  path: string;
  step: string | null;
  sync: number;
  onDisk: number;
}

/** Records every write to hsm_journal and hsm_stubs made through `db`, with the synchronous level it ran at. */
function watchWrites(rig: HsmRig, db: Database): () => Write[] {
  db.function('strata_test_on_disk', (path: unknown) => (existsSync(join(rig.folder, String(path).slice(1).replaceAll('\\', '/'))) ? 1 : 0));
  db.exec(`
    CREATE TEMP TABLE strata_test_writes (tbl TEXT, op TEXT, path TEXT, step TEXT, sync INTEGER, on_disk INTEGER);
    CREATE TEMP TRIGGER strata_test_journal_insert AFTER INSERT ON main.hsm_journal BEGIN
      INSERT INTO strata_test_writes SELECT 'journal', 'insert', new.path, new.step, synchronous, NULL FROM pragma_synchronous; END;
    CREATE TEMP TRIGGER strata_test_journal_update AFTER UPDATE ON main.hsm_journal BEGIN
      INSERT INTO strata_test_writes SELECT 'journal', 'update', new.path, new.step, synchronous, NULL FROM pragma_synchronous; END;
    CREATE TEMP TRIGGER strata_test_journal_delete AFTER DELETE ON main.hsm_journal BEGIN
      INSERT INTO strata_test_writes SELECT 'journal', 'delete', old.path, old.step, synchronous, NULL FROM pragma_synchronous; END;
    CREATE TEMP TRIGGER strata_test_stubs_insert AFTER INSERT ON main.hsm_stubs BEGIN
      INSERT INTO strata_test_writes SELECT 'stubs', 'insert', new.path, NULL, synchronous, strata_test_on_disk(new.path) FROM pragma_synchronous; END;
    CREATE TEMP TRIGGER strata_test_stubs_delete AFTER DELETE ON main.hsm_stubs BEGIN
      INSERT INTO strata_test_writes SELECT 'stubs', 'delete', old.path, NULL, synchronous, strata_test_on_disk(old.path) FROM pragma_synchronous; END;
  `);
  return () => (db.prepare('SELECT tbl AS "table", op, path, step, sync, on_disk AS onDisk FROM strata_test_writes ORDER BY rowid').all() as Write[]);
}

describe('durable HSM commits', () => {
  it('journal steps, the row put before the stub rename, the row dropped by a recall and the rows put before a stub is renamed are synced', async (t) => {
    const rig = await makeRig(t, { 'doc.bin': DOC });
    const { db } = rig.session.volume;
    const writes = watchWrites(rig, db);

    await migrateAll(rig);
    const handle = await openFile(rig, 'doc.bin');
    const renamed = await rig.session.stack.api.setInformation(handle, FileInformationClass.FileRenameInformation, { fileName: '\\moved.bin', replaceIfExists: false });
    expectStatus(renamed.status, 0, 'rename doc.bin to moved.bin');
    await closeFile(rig, handle);
    assert.deepEqual(await readThrough(rig, 'moved.bin'), DOC);
    await rig.session.volume.idle();
    assert.equal(db.pragma('synchronous', { simple: true }), 1, 'the rest of the store keeps synchronous = NORMAL');

    const seen = writes();
    const journal = seen.filter((write) => write.table === 'journal');
    assert.deepEqual([...new Set(journal.map((write) => write.step))], ['planned', 'copied', 'verified', 'stub-temp', 'started', 'written'], 'both journeys were journaled');
    assert.deepEqual(journal.filter((write) => write.sync < FULL), [], 'every journal write is synced');

    const released = seen.find((write) => write.table === 'stubs' && write.op === 'insert' && write.path === '\\doc.bin');
    assert.equal(released?.sync, FULL, 'the row put with the stub-temp step is synced before the stub is made');
    const ahead = seen.find((write) => write.table === 'stubs' && write.op === 'insert' && write.path === '\\moved.bin');
    assert.deepEqual([ahead?.sync, ahead?.onDisk], [FULL, 0], 'the renamed stub has its row at the new name, synced, before the rename');
    const recalled = seen.filter((write) => write.table === 'stubs' && write.op === 'delete' && write.path === '\\moved.bin').at(-1);
    assert.equal(recalled?.sync, FULL, 'the recall drops the row, synced, before the file is handed back');
  });
});
