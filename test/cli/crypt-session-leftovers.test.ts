// The CLI's unlock sessions hold a vault key on disk: a temp file left by a `strata vault unlock` killed
// between writing and renaming holds it too. The next session command (unlock, any command that reads the
// session, lock) removes such leftovers, and leaves alone the fresh temp file of a writer still running.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { endSession, loadSession, saveSession } from '../../main/cli/commands/crypt/session.js';

const KEY = 'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ';

function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

async function dataDirWith(t: { after(fn: () => Promise<void>): void }, temps: Record<string, { ageMinutes: number }>): Promise<{ dataDir: string; sessions: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'strata-session-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const sessions = join(dataDir, 'crypt-sessions');
  mkdirSync(sessions, { mode: 0o700 });
  for (const [name, { ageMinutes }] of Object.entries(temps)) {
    const path = join(sessions, name);
    writeFileSync(path, JSON.stringify({ folder: '/elsewhere', identity: KEY, expires: new Date(Date.now() + 60_000).toISOString() }), { mode: 0o600 });
    const then = new Date(Date.now() - ageMinutes * 60_000);
    utimesSync(path, then, then);
  }
  return { dataDir, sessions };
}

const tempsOf = (sessions: string) => readdirSync(sessions).filter((name) => name.endsWith('.tmp')).sort();

describe('crypt unlock sessions: temp files left by killed writers', () => {
  const dead = deadPid();
  const id = '0123456789abcdef0123456789abcdef';
  const leftovers = {
    [`${id}.json.${dead}-00112233aabb.tmp`]: { ageMinutes: 0 }, // its writer is gone
    [`${id}.json.1-00112233aabb.tmp`]: { ageMinutes: 60 }, // older than any write: pid 1 is a reused pid
    [`.${id}.json.00112233aabb.tmp`]: { ageMinutes: 60 }, // an older Strata's name, without a pid
  };
  /** A writer that still runs (pid 1 stands for one) may be about to rename it into place. */
  const inProgress = { [`${id}.json.1-445566778899.tmp`]: { ageMinutes: 0 } };

  it('unlock removes them and keeps a running writer\'s fresh temp file', async (t) => {
    const { dataDir, sessions } = await dataDirWith(t, { ...leftovers, ...inProgress });
    await saveSession(dataDir, '/folder', KEY, 5);
    assert.deepEqual(tempsOf(sessions), Object.keys(inProgress));
    assert.equal(await loadSession(dataDir, '/folder'), KEY);
  });

  it('a command reading the session removes them', async (t) => {
    const { dataDir, sessions } = await dataDirWith(t, leftovers);
    assert.equal(await loadSession(dataDir, '/folder'), null);
    assert.deepEqual(tempsOf(sessions), []);
  });

  it('lock removes them', async (t) => {
    const { dataDir, sessions } = await dataDirWith(t, leftovers);
    assert.equal(await endSession(dataDir, '/folder'), false);
    assert.deepEqual(tempsOf(sessions), []);
  });
});
