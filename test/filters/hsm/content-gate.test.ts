// The HSM's content gate: a folder opened with one (the agent gives it when crypt is on the folder: only
// age files may go to the tier) has its migrations, dry or not, skip the files whose first bytes the gate
// refuses, with the gate's reason, and release the others as usual. Real folder, tier and SQLite.

import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { migrateFolder } from '../../../filters/hsm/engine/migrate-folder.js';
import { hostRead, makeRig } from './hsm-rig.js';

const AGE_MAGIC = 'age-encryption.org/v1\n';
const STUB_MAGIC = 'strata-hsm-stub/1\n';
const onlyAgeFiles = (head: Uint8Array): string | null =>
  Buffer.from(head).subarray(0, AGE_MAGIC.length).toString('latin1') === AGE_MAGIC ? null : 'waiting to be encrypted';

describe('HSM content gate', () => {
  it('a migration skips the files the gate refuses, saying why, and releases the others; a dry run says the same', async (t) => {
    const plain = 'PLAINTEXT that must not reach the tier '.repeat(200);
    const sealed = `${AGE_MAGIC}-> X25519 stand-in for a header\n${'x'.repeat(5000)}`;
    const rig = await makeRig(t, { 'plain.txt': plain, 'sealed.age': sealed }, {}, { contentGate: onlyAgeFiles });

    const dry = await migrateFolder(rig.session.volume, { dryRun: true });
    assert.deepEqual(dry.files.map((f) => [f.path, f.result, 'reason' in f ? f.reason : '']).sort(), [
      ['\\plain.txt', 'skipped', 'waiting to be encrypted'],
      ['\\sealed.age', 'would release', ''],
    ]);
    assert.deepEqual([dry.eligible, dry.skipped, dry.failed], [1, 1, 0]);

    const run = await migrateFolder(rig.session.volume);
    assert.deepEqual([run.released, run.skipped, run.failed], [1, 1, 0]);
    assert.deepEqual(run.files.find((f) => f.path === '\\plain.txt'), { path: '\\plain.txt', result: 'skipped', reason: 'waiting to be encrypted', heldBack: true });
    assert.equal((await hostRead(rig, 'plain.txt')).toString(), plain, 'the refused file stays as it was');
    assert.ok((await hostRead(rig, 'sealed.age')).toString('latin1').startsWith(STUB_MAGIC), 'the accepted one is a stub');
    const objects = (await readdir(join(rig.tierRoot, 'objects'), { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
    assert.equal(objects.length, 1, 'only the accepted file went to the tier');
  });
});
