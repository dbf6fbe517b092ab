// Strata's own names in a protected folder are exactly the ones it creates (the vault folder, the
// filters' temporary files, ingest's copies and holds): a user's file that merely begins with ".strata"
// (".strata-notes.txt", anything under ".stratagem/") is encrypted, scanned and listed like any other —
// over a real agent in this process (real folders, SQLite, filter stacks, the I/O verifier on).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EICAR, eventually } from '../e2e/agent-process.js';
import { createHttpClient, type StrataApi } from '../../main/api/index.js';
import { compileGlob, matchesAny } from '../../filters/hsm/policy/glob.js';
import { restoreTempName } from '../../filters/scan/quarantine/quarantine-store.js';
import { ingestName, isStrataPath, originalOfIngestTemp, parseIngestName, standsFor, STRATA_NAME_GLOBS } from '../../main/agent/ingest/strata-names.js';
import { runningAgent } from './running-agent.js';

const AGE_HEADER = 'age-encryption.org/v1\n';

const OWN = [
  '.strata-vault',
  '.strata-vault/identity.age',
  '.STRATA-VAULT/vault.json', // the crypt filter refuses the vault folder in any case
  '\\.strata-vault\\vault.json', // as a folder scan names it
  'docs/.report.txt.strata-tmp-0123456789ab',
  '.strata-hsm-17.tmp',
  'docs/.strata-hsm-4.tmp',
  'docs/.a.txt.strata-ingest-0123456789ab',
  'docs/.a.txt.strata-orig-0123456789ab',
  'docs/.a.txt.strata-ingest-0123456789abcdef-0123456789ab',
  'docs/.a.txt.strata-orig-0123456789abcdef-0123456789ab',
  ingestName('a.txt', 'copy'),
  ingestName('a.txt', 'original'),
  ingestName(`${'é'.repeat(127)}x`, 'original'), // a name of 255 bytes: only its beginning fits
  restoreTempName('eicar.com', '0123456789ab'), // a quarantine restore's temp file
  restoreTempName(`${'é'.repeat(127)}x`, '0123456789ab'),
];
const USERS = [
  '.strata',
  '.strata-notes.txt',
  '.stratagem',
  '.stratagem/plan.txt',
  '\\.stratagem\\plan.txt',
  'docs/.strata-vault/copied-from-elsewhere.txt', // the vault is only at the folder's root
  '.strata-hsm-x.tmp',
  '.strata-hsm-17.tmp.bak',
  'docs/.a.txt.strata-ingest-xyz',
  'docs/a.txt.strata-orig-0123456789ab',
  'docs/.a.txt.strata-orig-0123456789abcde-0123456789ab',
  'strata/notes.txt',
];

test("only the names Strata creates are Strata's own", () => {
  for (const path of OWN) assert.equal(isStrataPath(path), true, path);
  for (const path of USERS) assert.equal(isStrataPath(path), false, path);
});

test('an ingest name carries the whole name it stands for, or its beginning and a digest that picks it out', () => {
  for (const name of ['a.txt', `report-${'x'.repeat(100)}.docx`, '.hidden', 'line\nbreak']) {
    for (const kind of ['copy', 'original'] as const) {
      const ingest = ingestName(name, kind);
      assert.ok(Buffer.byteLength(ingest) <= 255, ingest);
      assert.deepEqual(parseIngestName(ingest)?.kind, kind);
      assert.equal(parseIngestName(ingest)?.base, name);
      assert.equal(originalOfIngestTemp(`docs/${ingest}`), `docs/${name}`);
    }
  }
  const longest = `${'é'.repeat(127)}x`;
  const parts = parseIngestName(ingestName(longest, 'original'))!;
  assert.equal(parts.base, null, 'a 255-byte name cannot be carried whole');
  assert.ok(longest.startsWith(parts.prefix));
  assert.equal(standsFor(parts, longest), true);
  assert.equal(standsFor(parts, `${longest.slice(0, -1)}y`), false);
  // An older build's name: cut at 100 characters, no digest; shorter ones are whole.
  assert.equal(parseIngestName(`.${'n'.repeat(99)}.strata-orig-0123456789ab`)?.base, 'n'.repeat(99));
  assert.equal(parseIngestName(`.${'n'.repeat(100)}.strata-orig-0123456789ab`)?.base, null);
});

test("the HSM's exclude globs cover the same names as isStrataPath", () => {
  const globs = STRATA_NAME_GLOBS.map(compileGlob);
  // The globs see folder-relative '/' paths, in the case the filters write them.
  const forGlobs = (paths: string[]) => paths.filter((path) => !path.includes('\\') && path !== '.STRATA-VAULT/vault.json' && path !== '.strata-vault');
  for (const path of forGlobs(OWN)) assert.equal(matchesAny(globs, path), true, path);
  for (const path of forGlobs(USERS)) assert.equal(matchesAny(globs, path), false, path);
});

async function agentWithApi(t: Parameters<typeof runningAgent>[0]) {
  const agent = await runningAgent(t);
  return Object.assign(agent, { api: createHttpClient({ baseUrl: agent.url, token: agent.token }) as StrataApi });
}

const isAgeFile = (path: string) => readFileSync(path, 'latin1').startsWith(AGE_HEADER);

test('files whose names begin with .strata are encrypted in an encrypted folder and listed through Strata', async (t) => {
  const agent = await agentWithApi(t);
  const folder = join(agent.dataDir, '..', 'Secret');
  mkdirSync(folder);
  await agent.api.addFolder({ path: folder, name: 'Secret', policy: { crypt: { settings: { vault: 'home', autoLockMinutes: 0 } } } });
  await agent.api.createVault({ folder: 'Secret', passphrase: 'correct horse battery staple' });
  mkdirSync(join(folder, '.stratagem'));
  writeFileSync(join(folder, 'diary.txt'), 'dear diary');
  writeFileSync(join(folder, '.strata-notes.txt'), 'my bank PIN is 1234');
  writeFileSync(join(folder, '.stratagem', 'plan.txt'), 'the plan');

  for (const name of ['diary.txt', '.strata-notes.txt', join('.stratagem', 'plan.txt')]) {
    await eventually(() => isAgeFile(join(folder, name)), `${name} encrypted at rest`);
  }
  await agent.runtime.whenIdle();
  const top = (await agent.api.listFiles({ folder: 'Secret' })).entries.map((entry) => entry.name).sort();
  assert.deepEqual(top, ['.strata-notes.txt', '.stratagem', 'diary.txt'].sort(), "the vault folder stays hidden, the user's .strata* names show");
  const inside = (await agent.api.listFiles({ folder: 'Secret', path: '.stratagem' })).entries;
  assert.deepEqual(inside.map((entry) => [entry.name, entry.size, entry.encrypted]), [['plan.txt', 'the plan'.length, true]]);
});

test('a folder scan looks at files whose names begin with .strata', async (t) => {
  const agent = await agentWithApi(t);
  const folder = join(agent.dataDir, '..', 'Inbox');
  mkdirSync(join(folder, '.stratagem'), { recursive: true });
  writeFileSync(join(folder, 'eicar.com'), EICAR);
  writeFileSync(join(folder, '.stratagem', 'eicar.com'), EICAR);
  writeFileSync(join(folder, '.strata-notes.txt'), 'clean');
  // 'report': an infected file is taken in and left where it is, so the scan finds it.
  await agent.api.addFolder({ path: folder, name: 'Inbox', policy: { scan: { settings: { action: 'report' } } } });
  await eventually(async () => (await agent.api.getFolder({ folder: 'Inbox' })).runtime?.ingest.done === 3, 'every file taken in', 30_000);
  // Ingest holds each original under a second name for a while: wait for those to go.
  await eventually(() => ![...readdirSync(folder), ...readdirSync(join(folder, '.stratagem'))].some((name) => isStrataPath(name)), 'the held originals to go', 20_000);

  const report = await agent.runtime.scans.whenEnded((await agent.api.startScan({ folder: 'Inbox' })).id);
  assert.equal(report.state, 'finished');
  assert.equal(report.files, 3);
  assert.deepEqual(
    [...report.infected].sort((a, b) => a.path.localeCompare(b.path)),
    [{ path: '.stratagem/eicar.com', signature: 'Eicar-Test-Signature' }, { path: 'eicar.com', signature: 'Eicar-Test-Signature' }],
  );
});
