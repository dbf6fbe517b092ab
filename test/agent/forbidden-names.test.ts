// Files whose host names hold characters Windows forbids ('Q3: notes?.txt'), over a real agent in this
// process (real folder, SQLite, ClamAV's EICAR through the scan filter): a drop is taken in and stored
// encrypted, listed by its host name, and an infected one is quarantined and restored under its own host
// name. Before, the volume hid such names, so the file stayed plaintext and unscanned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EICAR, eventually } from '../e2e/agent-process.js';
import { createHttpClient, type StrataApi } from '../../main/api/index.js';
import { runningAgent } from './running-agent.js';

test('a drop named with characters NT forbids is encrypted, listed by its host name, and quarantined and restored under it when infected', async (t) => {
  const agent = await runningAgent(t);
  const api = createHttpClient({ baseUrl: agent.url, token: agent.token }) as StrataApi;
  const folder = join(agent.dataDir, '..', 'Vaulted');
  mkdirSync(join(folder, 'Drafts: 2026?'), { recursive: true });
  await api.addFolder({ path: folder, name: 'Vaulted', policy: { crypt: { settings: { vault: 'v', autoLockMinutes: 0 } }, scan: { settings: { action: 'quarantine' } } } });
  await api.createVault({ folder: 'Vaulted', passphrase: 'correct horse battery' });
  await api.unlockFolder({ folder: 'Vaulted', passphrase: 'correct horse battery' });

  writeFileSync(join(folder, 'Drafts: 2026?', 'Q3: notes?.txt'), 'quarterly secrets');
  await eventually(() => readFileSync(join(folder, 'Drafts: 2026?', 'Q3: notes?.txt'), 'latin1').startsWith('age-encryption.org/v1\n'), 'the drop stored as an age file', 30_000);
  const top = (await api.listFiles({ folder: 'Vaulted' })).entries;
  assert.deepEqual(top.map((e) => [e.name, e.path, e.directory]), [['Drafts: 2026?', 'Drafts: 2026?', true]]);
  const inner = (await api.listFiles({ folder: 'Vaulted', path: 'Drafts: 2026?' })).entries;
  assert.deepEqual(inner.map((e) => [e.name, e.path, e.size, e.encrypted]), [['Q3: notes?.txt', 'Drafts: 2026?/Q3: notes?.txt', 17, true]]);

  writeFileSync(join(folder, 'bad: eicar?.com'), EICAR);
  const item = await eventually(async () => (await api.listQuarantine({})).items.find((i) => i.path === 'bad: eicar?.com'), 'the EICAR drop in quarantine', 30_000);
  assert.equal(item.originPath, join(folder, 'bad: eicar?.com'));
  await eventually(() => !existsSync(join(folder, 'bad: eicar?.com')), 'the infected original removed', 30_000);
  const restored = await api.restoreQuarantined({ id: item.id, acknowledgeInfected: true });
  assert.equal(restored.restoredTo, join(folder, 'bad: eicar?.com'));
  assert.ok(existsSync(join(folder, 'bad: eicar?.com')), 'restored under its host name');
});

test("a file named with characters NT forbids that ingest wrote is known as Strata's own: it is taken in once", async (t) => {
  const agent = await runningAgent(t);
  const api = createHttpClient({ baseUrl: agent.url, token: agent.token }) as StrataApi;
  const folder = join(agent.dataDir, '..', 'Scanned');
  mkdirSync(folder);
  await api.addFolder({ path: folder, name: 'Scanned', policy: { scan: { settings: { action: 'quarantine' } } } });
  writeFileSync(join(folder, 'clean: file?.txt'), 'nothing to see');
  writeFileSync(join(folder, 'plain.txt'), 'nothing either');
  const ingested = async (path: string) => (await api.queryEvents({ folder: 'Scanned' })).events.filter((e) => e.action === 'ingested' && e.path === path);
  await eventually(async () => (await ingested('clean: file?.txt')).length > 0 && (await ingested('plain.txt')).length > 0, 'both drops taken in', 30_000);
  await agent.runtime.whenIdle();
  // Once more through the watcher's quiet time: a write of Strata's own that it did not know would be taken in again by now.
  writeFileSync(join(folder, 'later.txt'), 'a later drop');
  await eventually(async () => (await ingested('later.txt')).length > 0, 'a later drop taken in', 30_000);
  await agent.runtime.whenIdle();
  assert.equal((await ingested('clean: file?.txt')).length, 1, 'taken in once');
  assert.equal(readFileSync(join(folder, 'clean: file?.txt'), 'utf8'), 'nothing to see');
});
