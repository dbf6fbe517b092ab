// The operations the GUI needs beyond the policy, over a real agent in this process (real folders,
// SQLite, filter stacks, the I/O verifier on): the quarantine (list, restore into an encrypted folder
// where the restored file stays, the "exists" refusal and overwrite, delete), folder scans (results,
// cancel), browsing through the stack with stubs at their real size, pin/unpin/recall, and pausing
// protection (what it pauses, the scan after it, resuming by itself).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { EICAR, eventually } from '../e2e/agent-process.js';
import { createHttpClient, type StrataApi } from '../../main/api/index.js';
import { rejectsWith } from './agent-fixtures.js';
import { runningAgent } from './running-agent.js';

async function agentWithApi(t: Parameters<typeof runningAgent>[0]) {
  const agent = await runningAgent(t);
  return Object.assign(agent, { api: createHttpClient({ baseUrl: agent.url, token: agent.token }) as StrataApi });
}

const quarantined = async (api: StrataApi, path: string) => (await api.listQuarantine({})).items.find((item) => item.path === path);

test('a restored EICAR lands back encrypted in its encrypted folder and stays restored; "exists" is refused until overwrite is chosen; delete removes for good', async (t) => {
  const agent = await agentWithApi(t);
  const folder = join(agent.dataDir, '..', 'Vaulted');
  mkdirSync(folder);
  await agent.api.addFolder({ path: folder, name: 'Vaulted', policy: { crypt: { settings: { vault: 'v', autoLockMinutes: 0 } }, scan: { settings: { action: 'quarantine' } } } });
  await agent.api.createVault({ folder: 'Vaulted', passphrase: 'correct horse battery' });
  await agent.api.unlockFolder({ folder: 'Vaulted', passphrase: 'correct horse battery' });

  writeFileSync(join(folder, 'eicar.com'), EICAR);
  const item = await eventually(() => quarantined(agent.api, 'eicar.com'), 'the EICAR file in quarantine');
  await eventually(() => !existsSync(join(folder, 'eicar.com')), 'the infected original to be removed');
  assert.deepEqual([item.folderName, item.signature, item.size, item.originPath], ['Vaulted', 'Eicar-Test-Signature', EICAR.length, join(folder, 'eicar.com')]);

  await rejectsWith(agent.api.restoreQuarantined({ id: item.id } as never), 'invalid-request', '$.acknowledgeInfected');
  const restored = await agent.api.restoreQuarantined({ id: item.id, acknowledgeInfected: true });
  assert.equal(restored.throughFolder, true);
  assert.equal(restored.restoredTo, join(folder, 'eicar.com'));
  assert.match(readFileSync(join(folder, 'eicar.com'), 'latin1'), /^age-encryption\.org\/v1\n/, 'on disk it is an age file, as every file of the folder');
  assert.equal(await quarantined(agent.api, 'eicar.com'), undefined);
  // Long enough for the watcher, ingest and its hold to have seen the file again.
  await sleep(2500);
  await agent.runtime.whenIdle();
  assert.ok(existsSync(join(folder, 'eicar.com')), 'the restored file stays');
  assert.equal(await quarantined(agent.api, 'eicar.com'), undefined, 'and is not quarantined again');
  const scan = await agent.runtime.scans.whenEnded((await agent.api.startScan({ folder: 'Vaulted' })).id);
  assert.deepEqual(scan.infected, [], 'a folder scan leaves the allowed file alone');
  assert.ok(existsSync(join(folder, 'eicar.com')));

  // The same threat elsewhere is not allowed.
  writeFileSync(join(folder, 'other.com'), EICAR);
  const other = await eventually(() => quarantined(agent.api, 'other.com'), 'a new EICAR file quarantined');
  await eventually(() => !existsSync(join(folder, 'other.com')), 'the infected original to be removed');
  writeFileSync(join(folder, 'other.com'), 'a clean file now has that name');
  await eventually(async () => (await agent.api.queryEvents({ folder: 'Vaulted', actions: ['ingested'], search: 'other.com' })).events.some((e) => e.result === 'ok'), 'the clean file taken in');
  const exists = await rejectsWith(agent.api.restoreQuarantined({ id: other.id, acknowledgeInfected: true }), 'conflict', '$.overwrite');
  assert.match(exists.message, /already exists/);
  assert.ok(await quarantined(agent.api, 'other.com'), 'still in quarantine after the refusal');
  await agent.api.restoreQuarantined({ id: other.id, acknowledgeInfected: true, overwrite: true });
  assert.equal(await quarantined(agent.api, 'other.com'), undefined);

  writeFileSync(join(folder, 'third.com'), EICAR);
  const third = await eventually(() => quarantined(agent.api, 'third.com'), 'a third EICAR file quarantined');
  const deleted = await agent.api.deleteQuarantined({ id: third.id });
  assert.equal(deleted.id, third.id);
  assert.equal(await quarantined(agent.api, 'third.com'), undefined);
  await rejectsWith(agent.api.deleteQuarantined({ id: third.id }), 'not-found', '$.id');
  const actions = (await agent.api.queryEvents({ folder: 'Vaulted', actions: ['restored', 'quarantine-deleted'] })).events.map((e) => `${e.action}:${e.path}`);
  assert.deepEqual(actions.sort(), ['quarantine-deleted:third.com', 'restored:eicar.com', 'restored:other.com']);
});

test('a folder scan reports files, bytes and threats; a running scan can be cancelled', async (t) => {
  const agent = await agentWithApi(t);
  const folder = join(agent.dataDir, '..', 'Reported');
  mkdirSync(join(folder, 'sub'), { recursive: true });
  for (let i = 0; i < 120; i++) writeFileSync(join(folder, 'sub', `file-${i}.bin`), Buffer.alloc(64 * 1024, i));
  writeFileSync(join(folder, 'eicar.com'), EICAR);
  // 'report': the infected file is taken in and left where it is, so the scan finds it.
  await agent.api.addFolder({ path: folder, name: 'Reported', policy: { scan: { settings: { action: 'report' } } } });
  await eventually(async () => (await agent.api.getFolder({ folder: 'Reported' })).runtime?.ingest.done === 121, 'every file taken in', 60_000);
  // Ingest keeps each original under a second name for a grace period; the scan would count those too.
  await eventually(() => !readdirSync(join(folder, 'sub')).some((name) => name.includes('.strata-')), 'the held originals to go', 20_000);
  await rejectsWith(agent.api.startScan({ folder: 'nothing-like-it' }), 'not-found', '$.folder');

  // Cancelled first: the first scan reads every file (later ones reuse the filter's verdicts).
  const first = await agent.api.startScan({ folder: 'Reported' });
  assert.equal(first.state, 'running');
  assert.equal((await agent.api.startScan({ folder: 'Reported' })).id, first.id, 'a second start joins the running scan');
  const cancelled = await agent.api.cancelScan({ id: first.id });
  assert.equal(cancelled.state, 'cancelled');
  assert.ok(cancelled.files < 121, `stopped early (${cancelled.files} files)`);
  assert.equal(agent.runtime.status().jobs.find((job) => job.id === first.id)?.finished, true);

  const started = await agent.api.startScan({ folder: 'Reported' });
  const report = await agent.runtime.scans.whenEnded(started.id);
  assert.equal(report.state, 'finished');
  assert.equal(report.files, 121);
  assert.ok(report.bytes > 0 && report.bytes <= 120 * 64 * 1024 + EICAR.length, `${report.bytes} bytes read (files the cancelled scan judged are not read again)`);
  assert.deepEqual(report.infected, [{ path: 'eicar.com', signature: 'Eicar-Test-Signature' }]);
  assert.ok(report.bytesPerSecond > 0);
  assert.deepEqual((await agent.api.listScans({})).scans.map((scan) => scan.state), ['finished', 'cancelled'], 'newest first');
  const logged = (await agent.api.queryEvents({ folder: 'Reported', actions: ['folder-scanned'] })).events[0]!;
  assert.equal(logged.result, 'infected');
  assert.match(logged.detail ?? '', /121 file\(s\).*1 infected.*eicar\.com \(Eicar-Test-Signature\)/);
});

test('browsing through Strata shows a stub at its real size; pin brings it back and keeps it local, unpin lets it go, recall brings it back', async (t) => {
  const agent = await agentWithApi(t);
  const root = join(agent.dataDir, '..');
  const folder = join(root, 'Archive');
  mkdirSync(join(folder, 'reports'), { recursive: true });
  mkdirSync(join(root, 'cold'));
  await agent.api.setTier({ name: 'nas', path: join(root, 'cold') });
  const size = 256 * 1024;
  const file = join(folder, 'reports', 'old.bin');
  writeFileSync(file, Buffer.alloc(size, 9));
  writeFileSync(join(folder, 'new.txt'), 'fresh');
  const old = new Date(Date.now() - 400 * 86_400_000);
  utimesSync(file, old, old);
  await agent.api.addFolder({ path: folder, name: 'Archive', policy: { hsm: { settings: { tier: 'nas', minAgeDays: 30, minSizeBytes: 0 } } } });
  await agent.api.runJobs({ folder: 'Archive', protection: 'hsm' });
  assert.ok(statSync(file).size < size, 'a stub on disk');

  const top = await agent.api.listFiles({ folder: 'Archive' });
  assert.deepEqual(top.entries.map((e) => [e.name, e.directory]), [['reports', true], ['new.txt', false]], 'folders first, and no Strata files');
  const [entry] = (await agent.api.listFiles({ folder: 'Archive', path: 'reports' })).entries;
  assert.deepEqual([entry!.path, entry!.size, entry!.offline, entry!.pinned], ['reports/old.bin', size, true, false]);
  await rejectsWith(agent.api.listFiles({ folder: 'Archive', path: '../etc' }), 'invalid-request', '$.path');
  await rejectsWith(agent.api.listFiles({ folder: 'Archive', path: 'nowhere' }), 'not-found', '$.path');

  const cold = await agent.api.coldStorageStatus({ folder: 'Archive' });
  assert.deepEqual([cold.tier, cold.files, cold.stubs, cold.bytesCold], ['nas', 2, 1, size]);
  assert.ok(cold.bytesLocal < size);

  const pinned = await agent.api.pinFile({ folder: 'Archive', path: 'reports/old.bin' });
  assert.deepEqual(pinned, { path: 'reports/old.bin', pinned: true, recalled: true });
  assert.equal(statSync(file).size, size, 'back on disk in full');
  const afterPin = (await agent.api.listFiles({ folder: 'Archive', path: 'reports' })).entries[0]!;
  assert.deepEqual([afterPin.offline, afterPin.pinned], [false, true]);
  await agent.api.runJobs({ folder: 'Archive', protection: 'hsm' });
  assert.equal(statSync(file).size, size, 'a pinned file stays local');
  assert.deepEqual((await agent.api.coldStorageStatus({ folder: 'Archive' })).pinned, ['reports/old.bin']);

  await agent.api.unpinFile({ folder: 'Archive', path: 'reports/old.bin' });
  utimesSync(file, old, old);
  await agent.api.runJobs({ folder: 'Archive', protection: 'hsm' });
  assert.ok(statSync(file).size < size, 'unpinned, it is moved again');
  const recalled = await agent.api.recallFile({ folder: 'Archive', path: 'reports/old.bin' });
  assert.deepEqual(recalled, { path: 'reports/old.bin', recalled: true, size });
  assert.equal(statSync(file).size, size);
  assert.deepEqual(await agent.api.recallFile({ folder: 'Archive', path: 'reports/old.bin' }), { path: 'reports/old.bin', recalled: false, size });
  mkdirSync(join(root, 'Plain'));
  await agent.api.addFolder({ path: join(root, 'Plain'), name: 'NoHsm' });
  await rejectsWith(agent.api.coldStorageStatus({ folder: 'NoHsm' }), 'conflict', '$.folder', /Cold storage is not on for NoHsm/);
});

test('pausing stops on-access scanning; files taken in meanwhile are scanned at resume; a pause ends by itself and says so', async (t) => {
  const agent = await agentWithApi(t);
  const folder = join(agent.dataDir, '..', 'Inbox');
  mkdirSync(folder);
  await agent.api.addFolder({ path: folder, name: 'Inbox', policy: { scan: { settings: { action: 'quarantine' } } } });

  const before = Date.now();
  const paused = await agent.api.pauseProtection({});
  assert.equal(paused.paused, true);
  const until = Date.parse(paused.until!);
  assert.ok(until >= before + 60 * 60_000 && until <= Date.now() + 60 * 60_000, 'an hour by default');
  assert.deepEqual((await agent.api.status({})).pause, paused);

  writeFileSync(join(folder, 'sneaky.com'), EICAR);
  await eventually(async () => (await agent.api.queryEvents({ folder: 'Inbox', actions: ['ingested'] })).events.some((e) => e.path === 'sneaky.com' && e.result === 'ok'), 'the file taken in unscanned');
  assert.ok(existsSync(join(folder, 'sneaky.com')), 'while paused, nothing is scanned');

  const resumed = await agent.api.resumeProtection({});
  assert.deepEqual(resumed, { paused: false, since: null, until: null });
  await eventually(async () => !existsSync(join(folder, 'sneaky.com')) && (await quarantined(agent.api, 'sneaky.com')), 'the scan after the pause to quarantine it');
  const scans = (await agent.api.listScans({})).scans;
  assert.equal(scans.length, 1);

  agent.runtime.pause.pause(300);
  assert.equal((await agent.api.status({})).pause.paused, true);
  await eventually(async () => !(await agent.api.status({})).pause.paused, 'the pause to end by itself', 5000);
  const story = (await agent.api.queryEvents({ actions: ['protection-paused', 'protection-resumed'] })).events.map((e) => `${e.action}: ${e.detail}`).reverse();
  assert.equal(story.length, 4);
  assert.match(story[1]!, /resumed \(by the user\)/);
  assert.match(story[3]!, /resumed \(the pause time ran out\)/);
});
