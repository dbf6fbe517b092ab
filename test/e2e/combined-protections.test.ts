// A folder with all three protections under a real agent process, and the scheduler's reactions: files
// dropped are scanned then encrypted (an infected one quarantined), cold files migrate on demand to the
// tier as ciphertext, and a signature database changed on disk is reloaded without a restart.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EICAR, eventually, spawnAgent, tempDir } from './agent-process.js';

const AGE_MAGIC = 'age-encryption.org/v1\n';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('protections together, and the scheduler', () => {
  it('scan + crypt + hsm: drops are scanned and encrypted, threats quarantined, cold files migrate as ciphertext', async (t) => {
    const root = tempDir(t);
    const folder = tempDir(t);
    const tier = join(root, 'cold');
    const agent = await spawnAgent(t, join(root, 'data'));
    await agent.api.setTier({ name: 'cold', path: tier });
    const old = new Date(Date.now() - 90 * 86_400_000);
    await writeFile(join(folder, 'ledger-2019.csv'), 'year,total\n2019,42\n'.repeat(200));
    await utimes(join(folder, 'ledger-2019.csv'), old, old);
    await agent.api.addFolder({
      path: folder,
      name: 'Vault',
      policy: {
        scan: { settings: {} },
        crypt: { settings: { vault: 'home' } },
        hsm: { settings: { tier: 'cold', minAgeDays: 30, minSizeBytes: 100 } },
      },
    });
    const folderState = await agent.api.createVault({ folder: 'Vault', passphrase: 'a long passphrase' });
    assert.deepEqual(folderState.runtime?.protections.map((p) => [p.kind, p.state, p.altitude]), [['crypt', 'active', '141000'], ['scan', 'active', '325000'], ['hsm', 'active', '135000']]);

    // The file that was there before is taken in too (its mtime survives: it is still cold).
    await eventually(async () => (await readFile(join(folder, 'ledger-2019.csv'), 'latin1')).startsWith(AGE_MAGIC), 'the existing file to be encrypted', 5000);
    await writeFile(join(folder, 'report.txt'), 'quarterly');
    await writeFile(join(folder, 'free-game.com'), EICAR);
    await eventually(async () => (await readFile(join(folder, 'report.txt'), 'latin1')).startsWith(AGE_MAGIC) && !existsSync(join(folder, 'free-game.com')), 'the drops to be handled', 5000);
    assert.ok((await agent.api.queryEvents({ actions: ['quarantined'] })).events.some((e) => e.path === 'free-game.com'));

    const ciphertext = readFileSync(join(folder, 'ledger-2019.csv'));
    assert.ok(Math.abs(statSync(join(folder, 'ledger-2019.csv')).mtimeMs - old.getTime()) < 1000, 'ingest kept the modification time: a cold file stays cold');
    assert.deepEqual(await agent.api.runJobs({ folder: 'Vault', protection: 'hsm' }), { ran: 1 });
    const migrated = (await agent.api.queryEvents({ actions: ['migrated'] })).events;
    assert.deepEqual(migrated.map((e) => [e.path, e.result]), [['ledger-2019.csv', 'ok']]);
    assert.match(readFileSync(join(folder, 'ledger-2019.csv'), 'utf8'), /^strata-hsm-stub\/1\n/, 'a stub stays in the folder');
    const objects = filesUnder(join(tier, 'objects'));
    assert.equal(objects.length, 1);
    assert.deepEqual(readFileSync(objects[0]!), ciphertext, 'the tier holds the age ciphertext, never plaintext');
    assert.ok(agent.messages.some((m) => m.type === 'progress' && m.job.kind === 'migration' && m.job.finished));
    const { events } = await agent.api.queryEvents({ actions: ['ingested'] });
    assert.ok(!events.some((e) => e.path === 'ledger-2019.csv' && e.time > migrated[0]!.time), 'the stub the HSM wrote is not ingested again');
  });

  it('a signature database changed on disk is reloaded, and new drops are judged by it', async (t) => {
    const root = tempDir(t);
    const folder = tempDir(t);
    const sigs = join(root, 'sigs');
    await mkdir(sigs);
    const database = join(sigs, 'local.hdb');
    await writeFile(database, `${'0'.repeat(32)}:1:Placeholder.Sig\n`);
    const agent = await spawnAgent(t, join(root, 'data'));
    await agent.api.setSignatureSet({ name: 'local', paths: [database] });
    await agent.api.addFolder({ path: folder, name: 'Inbox', policy: { scan: { settings: { signatureSet: 'local' } } } });
    const payload = 'this exact text is now considered malware';
    const md5 = createHash('md5').update(payload).digest('hex');
    await writeFile(database, `${md5}:${payload.length}:Local.Test.Payload\n`);
    await eventually(async () => (await agent.api.queryEvents({ actions: ['signatures-reloaded'] })).events[0], 'the reload', 10_000);
    await writeFile(join(folder, 'payload.txt'), payload);
    await eventually(async () => !existsSync(join(folder, 'payload.txt')), 'the newly detected file to be removed', 5000);
    const threat = (await agent.api.queryEvents({ actions: ['threat-found'] })).events[0];
    assert.match(threat?.detail ?? '', /Local\.Test\.Payload/);

    await writeFile(database, 'this line is not a signature\n');
    const failed = await eventually(async () => (await agent.api.queryEvents({ actions: ['signatures-reloaded'], results: ['failed'] })).events[0], 'the failed reload', 10_000);
    assert.match(failed.detail ?? '', /local\.hdb:1: .*the previous signatures stay in force/);
    await writeFile(join(folder, 'payload-again.txt'), payload);
    await eventually(async () => !existsSync(join(folder, 'payload-again.txt')), 'the old signatures to still protect', 5000);
  });
});
