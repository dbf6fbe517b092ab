// HSM include/exclude globs are written in the host's terms: a host file named 'Q3: notes.txt' (a name NT
// forbids, which the local volume lists as 'Q3' U+F03A ' notes.txt') is matched by 'Q3:*', as the user sees
// it, over a real agent migrating a real folder to a real tier.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHttpClient, type StrataApi } from '../../main/api/index.js';
import { runningAgent } from './running-agent.js';

const SIZE = 64 * 1024;
const OLD = new Date(Date.now() - 400 * 86_400_000);

function oldFiles(folder: string, names: readonly string[]): void {
  mkdirSync(folder, { recursive: true });
  for (const name of names) {
    writeFileSync(join(folder, name), Buffer.alloc(SIZE, 7));
    utimesSync(join(folder, name), OLD, OLD);
  }
}

/** The names in `folder` that migration left as stubs (smaller on disk than their content). */
function stubbed(folder: string, names: readonly string[]): string[] {
  return names.filter((name) => statSync(join(folder, name)).size < SIZE).sort();
}

test('HSM include and exclude globs match file names as the host spells them, characters NT forbids included', async (t) => {
  const agent = await runningAgent(t);
  const api = createHttpClient({ baseUrl: agent.url, token: agent.token }) as StrataApi;
  const root = join(agent.dataDir, '..');
  mkdirSync(join(root, 'cold'));
  await api.setTier({ name: 'nas', path: join(root, 'cold') });

  const included = join(root, 'Included');
  const includedNames = ['Q3: notes.txt', 'Q3: draft.txt', 'Q3 plan.txt', 'report|2024.txt', 'trailing dot.'];
  oldFiles(join(included, 'sub'), includedNames);
  await api.addFolder({
    path: included,
    name: 'Included',
    policy: { hsm: { settings: { tier: 'nas', minAgeDays: 30, minSizeBytes: 0, include: ['Q3:*', 'report|*', 'sub/*dot.'], exclude: ['*: draft*'] } } },
  });

  const excluded = join(root, 'Excluded');
  const excludedNames = ['a:b.txt', 'ab.txt', 'what?.txt', 'plain.txt'];
  oldFiles(excluded, excludedNames);
  await api.addFolder({ path: excluded, name: 'Excluded', policy: { hsm: { settings: { tier: 'nas', minAgeDays: 30, minSizeBytes: 0, exclude: ['*:*', 'what[?].txt'] } } } });

  await api.runJobs({ folder: 'Included', protection: 'hsm' });
  await api.runJobs({ folder: 'Excluded', protection: 'hsm' });

  assert.deepEqual(stubbed(join(included, 'sub'), includedNames), ['Q3: notes.txt', 'report|2024.txt', 'trailing dot.']);
  assert.deepEqual(stubbed(excluded, excludedNames), ['ab.txt', 'plain.txt']);
});
