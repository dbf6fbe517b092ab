// Tiers in the policy against the HSM's own tier table, over real agents (real folders, SQLite, filter
// stacks, migrations): a tier that holds cold copies does not move (setTier and import are refused at
// the tier's path and the store keeps it), a tier named in another case is the HSM's same tier, and a
// tier is never inside a protected folder or the data dir, nor around a protected folder; a tier folder
// another user owns or can write to is refused by setTier and import, and a tier opened to others after
// its files were migrated is not used (its stubs stay stubs).

import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createHttpClient, type StrataApi } from '../../main/api/index.js';
import { inProcess, rejectsWith, tempDir, type Cleanup } from './agent-fixtures.js';
import { runningAgent } from './running-agent.js';

async function agentWithApi(t: Cleanup) {
  const agent = await runningAgent(t);
  return Object.assign(agent, { root: join(agent.dataDir, '..'), api: createHttpClient({ baseUrl: agent.url, token: agent.token }) as StrataApi });
}

/** A folder with one old file, protected by HSM on `tier` (as the folder names it), its file migrated. */
async function migratedFolder(api: StrataApi, root: string, name: string, tier: string): Promise<{ file: string; size: number }> {
  const folder = join(root, name);
  mkdirSync(folder);
  const size = 256 * 1024;
  const file = join(folder, 'old.bin');
  writeFileSync(file, Buffer.alloc(size, 7));
  const old = new Date(Date.now() - 400 * 86_400_000);
  utimesSync(file, old, old);
  const added = await api.addFolder({ path: folder, name, policy: { hsm: { settings: { tier, minAgeDays: 30, minSizeBytes: 0 } } } });
  assert.equal(added.runtime?.protections.find((p) => p.kind === 'hsm')?.state, 'active', `HSM active in ${name}`);
  await api.runJobs({ folder: name, protection: 'hsm' });
  assert.ok(statSync(file).size < size, `${name}/old.bin is a stub on disk`);
  return { file, size };
}

const hsmState = async (api: StrataApi, folder: string) => (await api.getFolder({ folder })).runtime?.protections.find((p) => p.kind === 'hsm');

describe('tiers and the HSM', () => {
  it('a tier holding cold copies cannot move: setTier and import are refused at its path, the store keeps it, its stubs still recall', async (t) => {
    const agent = await agentWithApi(t);
    const { api, root } = agent;
    mkdirSync(join(root, 'cold'));
    mkdirSync(join(root, 'cold2'));
    await api.setTier({ name: 'nas', path: join(root, 'cold') });
    const { file, size } = await migratedFolder(api, root, 'Archive', 'nas');

    await rejectsWith(api.setTier({ name: 'nas', path: join(root, 'cold2') }), 'conflict', '$.path', /tier 'nas' keeps its cold copies in .*cold \(1 stub\(s\).*another tier name/);
    await rejectsWith(api.setTier({ name: 'NAS', path: join(root, 'cold2') }), 'conflict', '$.path', /tier 'nas' keeps its cold copies/);
    const doc = await api.exportPolicy({});
    doc.tiers[0]!.path = join(root, 'cold2');
    await rejectsWith(api.importPolicy({ document: doc, mode: 'merge', dryRun: true }), 'conflict', '$.tiers[0].path', /keeps its cold copies/);
    await rejectsWith(api.importPolicy({ document: doc, mode: 'replace' }), 'conflict', '$.tiers[0].path', /keeps its cold copies/);

    assert.deepEqual((await api.exportPolicy({})).tiers, [{ name: 'nas', path: join(root, 'cold') }], 'the store is unchanged');
    assert.equal((await hsmState(api, 'Archive'))?.state, 'active');
    const [entry] = (await api.listFiles({ folder: 'Archive' })).entries;
    assert.deepEqual([entry?.size, entry?.offline], [size, true], 'listed at its real size, offline');
    await api.recallFile({ folder: 'Archive', path: 'old.bin' });
    assert.deepEqual(readFileSync(file), Buffer.alloc(size, 7));

    // Staying where it is (in another case) is no move; a new name is a new tier.
    assert.deepEqual(await api.setTier({ name: 'nas', path: join(root, 'cold') }), { name: 'nas', path: join(root, 'cold') });
    await api.setTier({ name: 'nas2', path: join(root, 'cold2') });
  });

  it('a tier named in another case is the HSM\'s same tier: a second folder attaches, a re-cased reference keeps its stubs', async (t) => {
    const agent = await agentWithApi(t);
    const { api, root } = agent;
    mkdirSync(join(root, 'cold'));
    await api.setTier({ name: 'nas', path: join(root, 'cold') });
    const a = await migratedFolder(api, root, 'A', 'nas');
    const b = await migratedFolder(api, root, 'B', 'NAS');
    assert.deepEqual((await api.coldStorageStatus({ folder: 'B' })).tier, 'nas', 'B migrates to the HSM\'s tier under its own name');

    const updated = await api.updateFolder({ folder: 'A', policy: { hsm: { settings: { tier: 'Nas', minAgeDays: 30, minSizeBytes: 0 } } } });
    const hsm = updated.runtime?.protections.find((p) => p.kind === 'hsm');
    assert.equal(hsm?.state, 'active', hsm?.message ?? '');
    for (const [folder, { file, size }] of [['A', a], ['B', b]] as const) {
      await api.recallFile({ folder, path: 'old.bin' });
      assert.deepEqual(readFileSync(file), Buffer.alloc(size, 7), `${folder}/old.bin recalled`);
    }
  });

  it('a tier is never inside a protected folder or the data dir, nor around a protected folder; refused with the field named, nothing stored', async (t) => {
    const { api, core } = inProcess(t);
    const root = tempDir(t);
    mkdirSync(join(root, 'Docs', 'sub'), { recursive: true });
    mkdirSync(join(root, 'elsewhere'));
    symlinkSync(join(root, 'Docs', 'sub'), join(root, 'sublink'));
    await api.addFolder({ path: join(root, 'Docs'), name: 'Docs' });

    await rejectsWith(api.setTier({ name: 'cold', path: join(root, 'Docs', 'cold') }), 'conflict', '$.path', /inside the protected folder .*Docs \('Docs'\)/);
    await rejectsWith(api.setTier({ name: 'cold', path: join(root, 'sublink') }), 'conflict', '$.path', /sublink \(.*Docs\/sub\) is inside the protected folder/);
    await rejectsWith(api.setTier({ name: 'cold', path: join(root, 'sublink', 'later') }), 'conflict', '$.path', /inside the protected folder/);
    await rejectsWith(api.setTier({ name: 'cold', path: root }), 'conflict', '$.path', /holds the protected folder/);
    await rejectsWith(api.setTier({ name: 'cold', path: join(core.dataDir, 'cold') }), 'invalid-request', '$.path', /inside Strata's data dir/);
    assert.deepEqual((await api.exportPolicy({})).tiers, []);

    await api.setTier({ name: 'cold', path: join(root, 'elsewhere') });
    mkdirSync(join(root, 'elsewhere', 'photos'));
    await rejectsWith(api.addFolder({ path: join(root, 'elsewhere', 'photos') }), 'conflict', '$.path', /holds the protected folder .*photos/);
    const around = await api.exportPolicy({});
    around.folders.push({ name: 'photos', path: join(root, 'elsewhere', 'photos'), policy: {} });
    await rejectsWith(api.importPolicy({ document: around, mode: 'merge' }), 'conflict', '$.folders[1].path', /tier 'cold': .*elsewhere holds the protected folder .*photos/);

    const doc = await api.exportPolicy({});
    doc.tiers.push({ name: 'inner', path: join(root, 'Docs', 'cold') });
    await rejectsWith(api.importPolicy({ document: doc, mode: 'merge' }), 'conflict', '$.tiers[1].path', /tier 'inner': .*cold is inside the protected folder .*Docs \('Docs'\)/);
    const linked = await api.exportPolicy({});
    linked.tiers.push({ name: 'inner', path: join(root, 'sublink') });
    await rejectsWith(api.importPolicy({ document: linked, mode: 'merge' }), 'conflict', '$.tiers[1].path', /inside the protected folder/);
    const inData = await api.exportPolicy({});
    inData.tiers.push({ name: 'inner', path: join(core.dataDir, 'tier') });
    await rejectsWith(api.importPolicy({ document: inData, mode: 'merge' }), 'invalid-request', '$.tiers[1].path', /data dir/);
    assert.deepEqual((await api.exportPolicy({})).tiers, [{ name: 'cold', path: join(root, 'elsewhere') }]);
    assert.deepEqual((await api.listFolders({})).folders.map((f) => f.name), ['Docs']);
  });

  it('a tier folder another user owns or others can write to is refused by setTier and import with the field named; nothing is stored', async (t) => {
    const { api } = inProcess(t);
    const root = tempDir(t);
    const open = join(root, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    await rejectsWith(api.setTier({ name: 'cold', path: open }), 'invalid-request', '$.path', /tier 'cold': the tier folder .*open can be written by its group and all other users \(mode 777\).*chmod go-w/);
    const theirs = join(root, 'theirs');
    mkdirSync(theirs);
    if (process.getuid?.() === 0) {
      chownSync(theirs, 65534, 65534);
      await rejectsWith(api.setTier({ name: 'cold', path: theirs }), 'invalid-request', '$.path', /the tier folder .*theirs is owned by uid 65534, not by this user/);
    }
    const doc = await api.exportPolicy({});
    doc.tiers.push({ name: 'cold', path: open });
    await rejectsWith(api.importPolicy({ document: doc, mode: 'merge' }), 'invalid-request', '$.tiers[0].path', /tier 'cold': the tier folder .*open can be written/);
    assert.deepEqual((await api.exportPolicy({})).tiers, [], 'nothing stored');

    // A folder of one's own, or one not made yet (the tier creates it 0700), is fine.
    mkdirSync(join(root, 'mine'), { mode: 0o755 });
    await api.setTier({ name: 'cold', path: join(root, 'mine') });
    await api.setTier({ name: 'later', path: join(root, 'not-yet') });
  });

  it('a tier opened to others after its files were migrated is not used: the recall fails naming the folder, the stub stays', async (t) => {
    const { api, root } = await agentWithApi(t);
    mkdirSync(join(root, 'cold'));
    await api.setTier({ name: 'nas', path: join(root, 'cold') });
    const { file, size } = await migratedFolder(api, root, 'Archive', 'nas');
    const stub = readFileSync(file);
    chmodSync(join(root, 'cold', 'objects'), 0o777);
    await assert.rejects(api.recallFile({ folder: 'Archive', path: 'old.bin' }), (error: Error) => {
      assert.match(error.message, /STATUS_ACCESS_DENIED: tier 'nas': the tier folder .*cold\/objects can be written by its group and all other users/);
      return true;
    });
    assert.deepEqual(readFileSync(file), stub, 'still the stub');
    chmodSync(join(root, 'cold', 'objects'), 0o755);
    await api.recallFile({ folder: 'Archive', path: 'old.bin' });
    assert.deepEqual(readFileSync(file), Buffer.alloc(size, 7), 'recalled once the folder is closed again');
  });
});
