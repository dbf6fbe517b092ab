// Crash safety: a child process migrating and recalling a folder is killed (SIGKILL) at every journaled
// step and at random instants, over many trials on the same folder; after each kill the next start
// recovers the journal and every file is found intact, with no temporary stub, no unfinished journal
// entry and no tier object that nothing uses.

import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { walkFolder, strayTempStubs } from '../../../filters/hsm/engine/folder-walk.js';
import { makeRig, readThrough, sha256, type Files, type HsmRig } from './hsm-rig.js';

const CHILD = fileURLToPath(new URL('./crash-child.js', import.meta.url));

const MIGRATION_POINTS = ['planned', 'copied', 'verified', 'stub-written', 'renamed', 'finished'];
const RECALL_POINTS = ['recall-started', 'recall-writing', 'recall-written', 'recall-uncataloged', 'recall-object-deleted'];

function folderFiles(): Files {
  const shared = randomBytes(3000);
  return {
    'empty.txt': '',
    'tiny.txt': 'tiny',
    'a/shared-1.bin': shared,
    'a/shared-2.bin': shared,
    'a/b/medium.bin': randomBytes(300_000),
    'large.bin': randomBytes(9 << 20),
  };
}

/** Runs the child; resolves with how it ended. `killAfterMs` kills it from outside. */
function runChild(rig: HsmRig, crashAt: string | null, killAfterMs: number | null): Promise<string> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, STRATA_HSM_CRASH_AT: crashAt ?? '' };
    const child = fork(CHILD, [rig.dataDir, rig.folder], { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const timer = killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer !== null) clearTimeout(timer);
      if (code !== 0 && signal === null) reject(new Error(`the child failed (exit ${code}): ${stderr}`));
      else resolve(signal ?? 'finished');
    });
  });
}

async function checkIntact(rig: HsmRig, expected: Map<string, string>, trial: string): Promise<void> {
  const session = await rig.reopen();
  const { volume } = session;
  assert.deepEqual(volume.journal.pending(), [], `${trial}: recovery finished every journal entry`);
  const stray: string[] = [];
  for await (const path of strayTempStubs(volume)) stray.push(path);
  assert.deepEqual(stray, [], `${trial}: no temporary stub is left`);
  const seen = new Map<string, string>();
  for await (const { path } of walkFolder(volume)) seen.set(path, sha256(await readThrough(rig, path)));
  assert.deepEqual(seen, expected, `${trial}: every file reads back intact`);
  await volume.idle();
  assert.deepEqual(volume.catalog.all(), [], `${trial}: everything was recalled by reading it`);
  const objects: string[] = [];
  for (const prefix of await readdir(join(rig.tierRoot, 'objects'))) objects.push(...(await readdir(join(rig.tierRoot, 'objects', prefix))));
  assert.deepEqual(objects, [], `${trial}: no tier object is left that nothing uses`);
}

describe('crash safety', () => {
  it('killed at every journaled step of migration and recall, and at random instants, no file is ever lost', { timeout: 300_000 }, async (t) => {
    const files = folderFiles();
    const rig = await makeRig(t, files);
    await rig.session.close();
    const expected = new Map(Object.entries(files).map(([name, content]) => [`\\${name.replace(/\//g, '\\')}`, sha256(content)]));
    const trials: { crashAt: string | null; killAfterMs: number | null }[] = [];
    for (const point of [...MIGRATION_POINTS, ...RECALL_POINTS]) {
      trials.push({ crashAt: `${point}#1`, killAfterMs: null });
      trials.push({ crashAt: `${point}#${1 + Math.floor(Math.random() * 4)}`, killAfterMs: null });
    }
    for (let i = 0; i < 12; i++) trials.push({ crashAt: null, killAfterMs: 100 + Math.floor(Math.random() * 400) });
    let killed = 0;
    const missed: string[] = [];
    for (const [index, trial] of trials.entries()) {
      const name = `trial ${index} (${trial.crashAt ?? `kill after ${trial.killAfterMs} ms`})`;
      // The rig's session must be closed while the child owns the folder.
      await rig.session.close();
      const ending = await runChild(rig, trial.crashAt, trial.killAfterMs);
      if (ending === 'SIGKILL') killed++;
      else if (trial.crashAt?.endsWith('#1')) missed.push(trial.crashAt);
      await checkIntact(rig, expected, name);
    }
    t.diagnostic(`${killed} of ${trials.length} trials were killed mid-work`);
    assert.deepEqual(missed, [], 'every journaled step was reached and crashed at');
    assert.ok(killed >= trials.length / 2, `most trials really crashed (${killed} of ${trials.length})`);
  });
});
