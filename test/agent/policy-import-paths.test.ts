// Policy import against the real file system and store: folder paths are taken resolved (a link to a
// protected folder is that folder, a link into one is nesting), a folder that does not exist yet still
// gets every check that needs no directory (never in or around the data dir) and is checked again when
// the running agent finds it, and a document that swaps two folders' names applies.

import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { eventually } from '../e2e/agent-process.js';
import { applyImportPlan } from '../../main/agent/policy/import-writes.js';
import { createHttpClient, type StrataApi } from '../../main/api/index.js';
import { inProcess, rejectsWith, tempDir } from './agent-fixtures.js';
import { runningAgent } from './running-agent.js';

describe('policy import: paths and names', () => {
  it('a symlinked path is the folder it leads to: a link to a protected folder is refused as a duplicate, a link into one as nesting', async (t) => {
    const { api } = inProcess(t);
    const root = tempDir(t);
    mkdirSync(join(root, 'real', 'inner'), { recursive: true });
    mkdirSync(join(root, 'new'));
    symlinkSync(join(root, 'real'), join(root, 'link'));
    symlinkSync(join(root, 'real', 'inner'), join(root, 'innerlink'));
    symlinkSync(join(root, 'new'), join(root, 'newlink'));
    await api.addFolder({ path: join(root, 'real'), name: 'real' });

    const twice = await api.exportPolicy({});
    twice.folders.push({ name: 'alias', path: join(root, 'link'), policy: {} });
    await rejectsWith(api.importPolicy({ document: twice, mode: 'merge', dryRun: true }), 'invalid-request', '$.folders[1].path', /real is listed twice/);
    await rejectsWith(api.importPolicy({ document: twice, mode: 'merge' }), 'invalid-request', '$.folders[1].path', /real is listed twice/);

    const nested = await api.exportPolicy({});
    nested.folders.push({ name: 'inner', path: join(root, 'innerlink'), policy: {} });
    await rejectsWith(api.importPolicy({ document: nested, mode: 'merge' }), 'invalid-request', '$.folders[1].path', /inner is inside the protected folder .*real; protected folders cannot nest/);
    assert.deepEqual((await api.listFolders({})).folders.map((f) => f.path), [join(root, 'real')]);

    // The protected folder named by a link is the same folder (its policy changes, nothing is added).
    const same = { ...(await api.exportPolicy({})), folders: [{ name: 'real', path: join(root, 'link'), policy: { scan: { enabled: false, altitude: '325000', settings: { signatureSet: 'builtin', scanOnOpen: true, action: 'block' as const } } } }] };
    const merged = await api.importPolicy({ document: same, mode: 'merge' });
    assert.deepEqual(merged.changes.map((c) => `${c.op} ${c.key} ${c.field}`), [`change ${join(root, 'real')} $.policy.scan`]);

    const added = await api.exportPolicy({});
    added.folders.push({ name: 'new', path: join(root, 'newlink'), policy: {} });
    await api.importPolicy({ document: added, mode: 'merge' });
    assert.deepEqual((await api.listFolders({})).folders.map((f) => f.path), [join(root, 'real'), join(root, 'new')], 'stored at the real path, as addFolder stores it');
  });

  it('a folder that does not exist yet is refused in or around the data dir; elsewhere it is stored with a warning', async (t) => {
    const { api, core } = inProcess(t);
    const root = tempDir(t);
    symlinkSync(core.dataDir, join(root, 'datalink'));
    for (const path of [join(core.dataDir, 'crypt-sessions'), join(core.dataDir, 'a', 'b'), join(root, 'datalink', 'later')]) {
      const doc = await api.exportPolicy({});
      doc.folders.push({ name: 'sneaky', path, policy: {} });
      await rejectsWith(api.importPolicy({ document: doc, mode: 'merge' }), 'invalid-request', '$.folders[0].path', /inside Strata's data dir/);
      await rejectsWith(api.importPolicy({ document: doc, mode: 'merge', dryRun: true }), 'invalid-request', '$.folders[0].path', /data dir/);
    }
    assert.deepEqual((await api.listFolders({})).folders, []);

    const doc = await api.exportPolicy({});
    doc.folders.push({ name: 'later', path: join(root, 'later'), policy: {} });
    const result = await api.importPolicy({ document: doc, mode: 'merge' });
    assert.deepEqual(result.warnings.map((w) => w.path), ['$.folders[0].path']);
    assert.deepEqual((await api.listFolders({})).folders.map((f) => f.path), [join(root, 'later')]);
  });

  it('the running agent checks a folder again when it appears: one that leads into the data dir fails, with the reason, and is not mounted', async (t) => {
    const agent = await runningAgent(t);
    const api = createHttpClient({ baseUrl: agent.url, token: agent.token }) as StrataApi;
    const root = join(agent.dataDir, '..');
    const path = join(root, 'Incoming');
    const doc = await api.exportPolicy({});
    doc.folders.push({ name: 'Incoming', path, policy: {} });
    await api.importPolicy({ document: doc, mode: 'merge' });
    assert.equal((await api.getFolder({ folder: 'Incoming' })).runtime?.state, 'missing');

    // It appears, but as a link into Strata's own data dir.
    mkdirSync(join(agent.dataDir, 'inside'));
    symlinkSync(join(agent.dataDir, 'inside'), path);
    const runtime = await eventually(async () => {
      const r = (await api.getFolder({ folder: 'Incoming' })).runtime;
      return r !== null && r !== undefined && r.state !== 'missing' ? r : undefined;
    }, 'the agent to look at the folder again');
    assert.equal(runtime.state, 'failed');
    assert.match(runtime.message ?? '', /Incoming \(.*data\/inside\) holds or is inside Strata's data dir.*not protected/);
    await rejectsWith(api.listFiles({ folder: 'Incoming' }), 'conflict', '$.folder', /not running/);
    const failures = (await api.queryEvents({ folder: 'Incoming', actions: ['folder-mounted'] })).events;
    assert.deepEqual(failures.map((e) => e.result), ['failed'], 'one event, not one per retry');
  });

  it('a document that swaps two folders\' names applies; the folders keep their ids', async (t) => {
    const { api } = inProcess(t);
    const root = tempDir(t);
    mkdirSync(join(root, 'a'));
    mkdirSync(join(root, 'b'));
    const alpha = await api.addFolder({ path: join(root, 'a'), name: 'alpha' });
    const beta = await api.addFolder({ path: join(root, 'b'), name: 'beta' });
    const doc = await api.exportPolicy({});
    doc.folders[0]!.name = 'BETA';
    doc.folders[1]!.name = 'alpha';
    const result = await api.importPolicy({ document: doc, mode: 'merge' });
    assert.deepEqual(result.changes.map((c) => `${c.op} ${c.key} ${c.field}`), [`change ${join(root, 'a')} $.name`, `change ${join(root, 'b')} $.name`]);
    const folders = (await api.listFolders({})).folders.map((f) => [f.id, f.name, f.path]);
    assert.deepEqual(folders, [[alpha.id, 'BETA', join(root, 'a')], [beta.id, 'alpha', join(root, 'b')]]);
    // Three names in a ring, and a new folder taking a name given up, in replace mode.
    mkdirSync(join(root, 'c'));
    const ring = { ...doc, folders: [{ ...doc.folders[0]!, name: 'alpha' }, { ...doc.folders[1]!, name: 'gamma' }, { name: 'BETA', path: join(root, 'c'), policy: {} }] };
    await api.importPolicy({ document: ring, mode: 'replace' });
    assert.deepEqual((await api.listFolders({})).folders.map((f) => [f.name, f.path]), [['alpha', join(root, 'a')], ['gamma', join(root, 'b')], ['BETA', join(root, 'c')]]);
  });

  it('a write the store still refuses is reported at the document\'s folder, not as a bare SQLite error, and nothing is written', async (t) => {
    const { api, core } = inProcess(t);
    const root = tempDir(t);
    mkdirSync(join(root, 'a'));
    mkdirSync(join(root, 'b'));
    await api.addFolder({ path: join(root, 'a'), name: 'alpha' });
    const store = core.policy.store;
    // A plan that checks would never let through: a new folder under a name already taken.
    const current = store.snapshot();
    const clash = { id: 'new-folder', name: 'ALPHA', path: join(root, 'b'), policy: {}, createdAt: current.folders[0]!.createdAt, updatedAt: current.folders[0]!.updatedAt };
    const plan = { target: { ...current, folders: [...current.folders, clash] }, changes: [], warnings: [], added: [clash], changed: [], removed: [], fieldOf: new Map([['new-folder', '$.folders[3]']]) };
    await rejectsWith(
      Promise.resolve().then(() => store.transaction(() => applyImportPlan(store, current, plan))),
      'conflict', '$.folders[3].name', /cannot be applied at \$\.folders\[3\]\.name: the name 'ALPHA' is taken/,
    );
    assert.deepEqual((await api.listFolders({})).folders.map((f) => f.name), ['alpha']);
  });
});
