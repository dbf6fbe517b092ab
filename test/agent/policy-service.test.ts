// The policy model over real SQLite through the in-process API client: folders with their protections
// and altitudes, shared tiers and signature sets, each change one transaction, bad input refused with
// the field named and the store left as it was.

import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultProviders } from '../../main/agent/protections/registry.js';
import { unavailableProvider } from '../../main/agent/protections/unavailable-provider.js';
import { inProcess, rejectsWith, tempDir } from './agent-fixtures.js';

describe('policy model', () => {
  it('a folder is stored with its policy, default altitudes filled in, and an event', async (t) => {
    const { api } = inProcess(t);
    const folder = tempDir(t);
    await api.setTier({ name: 'cold', path: tempDir(t) });
    const added = await api.addFolder({
      path: folder,
      name: 'Docs',
      policy: { scan: { enabled: false, settings: { action: 'block' } }, hsm: { enabled: false, altitude: '181000.5', settings: { tier: 'cold', minAgeDays: 7 } } },
    });
    assert.equal(added.name, 'Docs');
    assert.equal(added.runtime, null, 'no agent runs: no live state');
    assert.deepEqual(added.policy.scan, { enabled: false, altitude: '325000', settings: { signatureSet: 'builtin', scanOnOpen: true, action: 'block' } });
    assert.equal(added.policy.hsm?.altitude, '181000.5');
    assert.deepEqual(added.policy.hsm?.settings, { tier: 'cold', minAgeDays: 7, minSizeBytes: 1048576, include: ['**'], exclude: [], everyMinutes: 60 });
    assert.deepEqual(await api.getFolder({ folder: 'docs' }), added, 'found by name in any case');
    assert.deepEqual(await api.getFolder({ folder: added.id }), added);
    assert.deepEqual((await api.listFolders({})).folders, [added]);
    const { events } = await api.queryEvents({ actions: ['folder-added'] });
    assert.equal(events.length, 1);
    assert.equal(events[0]!.folderId, added.id);
  });

  it('the folder path is stored resolved: a symlink to a protected folder is the same folder', async (t) => {
    const { api } = inProcess(t);
    const root = tempDir(t);
    mkdirSync(join(root, 'real'));
    symlinkSync(join(root, 'real'), join(root, 'link'));
    const added = await api.addFolder({ path: join(root, 'link') });
    assert.equal(added.path, join(root, 'real'));
    assert.equal(added.name, 'real');
    await rejectsWith(api.addFolder({ path: join(root, 'real'), name: 'again' }), 'conflict', '$.path', /already protected as 'real'/);
  });

  it('enabling a protection whose filter this build lacks is refused with its path, and nothing is stored', async (t) => {
    const { api } = inProcess(t, undefined, { ...defaultProviders, crypt: unavailableProvider('crypt', '141000') });
    const folder = tempDir(t);
    await rejectsWith(api.addFolder({ path: folder, policy: { crypt: { settings: { vault: 'home' } } } }), 'unavailable', '$.policy.crypt', /crypt filter is not available in this build/);
    assert.deepEqual((await api.listFolders({})).folders, []);
    assert.deepEqual((await api.queryEvents({})).events, []);
  });

  it('hostile and wrong folder paths are refused with the field named', async (t) => {
    const { api, core } = inProcess(t);
    const root = tempDir(t);
    writeFileSync(join(root, 'file.txt'), 'x');
    await rejectsWith(api.addFolder({ path: 'relative/dir' }), 'invalid-request', '$.path', /not an absolute path/);
    await rejectsWith(api.addFolder({ path: `${root}/../etc` }), 'invalid-request', '$.path', /'\.\.'/);
    await rejectsWith(api.addFolder({ path: `${root}/a\0b` }), 'invalid-request', '$.path', /NUL/);
    await rejectsWith(api.addFolder({ path: join(root, 'missing') }), 'invalid-request', '$.path', /no folder at/);
    await rejectsWith(api.addFolder({ path: join(root, 'file.txt') }), 'invalid-request', '$.path', /is a file/);
    await rejectsWith(api.addFolder({ path: '/' }), 'invalid-request', '$.path', /root of a filesystem/);
    await rejectsWith(api.addFolder({ path: core.dataDir }), 'invalid-request', '$.path', /data dir/);
    await rejectsWith(api.addFolder({ path: root, name: ' padded' }), 'invalid-request', '$.name', /spaces/);
    await rejectsWith(api.addFolder({ path: root, extra: 1 } as never), 'invalid-request', '$.extra', /unknown field/);
    assert.deepEqual((await api.listFolders({})).folders, []);
  });

  it('protected folders cannot nest, share a path or share a name', async (t) => {
    const { api } = inProcess(t);
    const root = tempDir(t);
    mkdirSync(join(root, 'outer', 'inner'), { recursive: true });
    mkdirSync(join(root, 'other'));
    await api.addFolder({ path: join(root, 'outer', 'inner') });
    await rejectsWith(api.addFolder({ path: join(root, 'outer') }), 'conflict', '$.path', /would nest/);
    await rejectsWith(api.addFolder({ path: join(root, 'other'), name: 'INNER' }), 'conflict', '$.name', /name 'INNER' is taken/);
    assert.equal((await api.listFolders({})).folders.length, 1);
  });

  it('a policy refers only to defined tiers and signature sets, with distinct altitudes', async (t) => {
    const { api } = inProcess(t);
    const folder = tempDir(t);
    await rejectsWith(api.addFolder({ path: folder, policy: { hsm: { enabled: false, settings: { tier: 'nowhere' } } } }), 'invalid-request', '$.policy.hsm.settings.tier', /no tier named 'nowhere'/);
    await rejectsWith(api.addFolder({ path: folder, policy: { scan: { enabled: false, settings: { signatureSet: 'custom' } } } }), 'invalid-request', '$.policy.scan.settings.signatureSet', /no signature set named 'custom'/);
    await api.setTier({ name: 'cold', path: tempDir(t) });
    await rejectsWith(
      api.addFolder({ path: folder, policy: { scan: { enabled: false, altitude: '185000', settings: {} }, hsm: { enabled: false, altitude: '185000.0', settings: { tier: 'cold' } } } }),
      'invalid-request',
      '$.policy.hsm.altitude',
      /cannot share altitude/,
    );
    assert.deepEqual((await api.listFolders({})).folders, []);
  });

  it('a tier or signature set in use cannot be removed; unused ones can', async (t) => {
    const { api } = inProcess(t);
    const dbFile = join(tempDir(t), 'main.hdb');
    writeFileSync(dbFile, '');
    await api.setTier({ name: 'cold', path: tempDir(t) });
    await api.setSignatureSet({ name: 'clam', paths: [dbFile] });
    await api.addFolder({ path: tempDir(t), name: 'A', policy: { hsm: { enabled: false, settings: { tier: 'cold' } }, scan: { enabled: false, settings: { signatureSet: 'clam' } } } });
    await rejectsWith(api.removeTier({ name: 'COLD' }), 'conflict', '$.name', /used by 'A'/);
    await rejectsWith(api.removeSignatureSet({ name: 'clam' }), 'conflict', '$.name', /used by 'A'/);
    await rejectsWith(api.setSignatureSet({ name: 'builtin', paths: [dbFile] }), 'invalid-request', '$.name', /built-in/);
    await api.updateFolder({ folder: 'A', policy: {} });
    assert.equal((await api.removeTier({ name: 'cold' })).name, 'cold');
    assert.equal((await api.removeSignatureSet({ name: 'clam' })).name, 'clam');
    const left = await api.exportPolicy({});
    assert.deepEqual([left.tiers, left.signatureSets], [[], []]);
  });

  it('update replaces the whole policy and renames; remove forgets the folder but keeps its events', async (t) => {
    const { api } = inProcess(t);
    const added = await api.addFolder({ path: tempDir(t), name: 'A', policy: { scan: { enabled: false, settings: {} } } });
    const updated = await api.updateFolder({ folder: added.id, name: 'B', policy: {} });
    assert.equal(updated.name, 'B');
    assert.deepEqual(updated.policy, {});
    assert.equal(updated.createdAt, added.createdAt);
    const removed = await api.removeFolder({ folder: 'B' });
    assert.equal(removed.id, added.id);
    await rejectsWith(api.getFolder({ folder: added.id }), 'not-found', '$.folder');
    const { events } = await api.queryEvents({ folder: added.id });
    assert.deepEqual(events.map((e) => e.action), ['folder-removed', 'folder-changed', 'folder-added']);
  });
});
