// The temp files the agent's small private files (lock, token, CLI unlock sessions) are written through:
// their names carry the writer's tag (host, pid and run, as every Strata temporary name does), and a sweep
// removes those no write can still be under way in: a gone writer's, this process's (these writes are
// synchronous), and any older than such a write takes. A live writer's and another host's fresh ones stay.
// Older names (a pid, or nothing) are covered by agent-lock.test.ts and crypt-session-leftovers.test.ts.

import assert from 'node:assert/strict';
import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { STALE_TEMP_MS, sweepTempLeftovers, tempPathFor } from '../../main/agent/server/temp-files.js';
import { tempOwnerTag } from '../../main/store/temp-owner.js';
import { exitedPid, startProcess } from '../store/process-fixtures.js';
import { tempDir } from './agent-fixtures.js';

const [host, , run] = tempOwnerTag().split('-') as [string, string, string];
const otherHost = host === 'ffffffff' ? 'eeeeeeee' : 'ffffffff';
const otherRun = run === '00000000' ? '11111111' : '00000000';

describe('agent temp files named by their writer\'s tag', () => {
  it('a temp name sits beside its target and carries this process\'s tag', (t) => {
    const target = join(tempDir(t), 'agent.token');
    const temp = tempPathFor(target);
    assert.equal(join(temp, '..'), join(target, '..'));
    assert.match(basename(temp), new RegExp(`^agent\\.token\\.${tempOwnerTag()}-[0-9a-f]{12}\\.tmp$`));
  });

  it('the sweep removes the temps of gone writers, of this process and old ones, and keeps fresh ones of live writers and other hosts', async (t) => {
    const dir = tempDir(t);
    const live = await startProcess();
    t.after(() => live.stop());
    const dead = exitedPid();
    const temp = (tag: string, suffix: string): string => `agent.lock.${tag}-${suffix}.tmp`;
    const leftovers = [
      temp(`${host}-${dead}-${run}`, '000000000001'), // its writer has exited
      temp(tempOwnerTag(), '000000000002'), // this process's own: no write of ours is under way
      temp(`${host}-${process.pid}-${otherRun}`, '000000000003'), // an earlier process that had our pid
    ];
    const oldOnes = [
      temp(`${host}-${live.pid}-${run}`, '000000000004'), // older than any write: its pid was reused
      temp(`${otherHost}-${live.pid}-${run}`, '000000000005'), // another host's, older than any write
    ];
    const kept = [
      temp(`${host}-${live.pid}-${run}`, '000000000006'), // a live writer may be about to rename it
      temp(`${otherHost}-${dead}-${run}`, '000000000007'), // another host's pid means nothing here
    ];
    for (const name of [...leftovers, ...oldOnes, ...kept]) writeFileSync(join(dir, name), 'secret', { mode: 0o600 });
    const then = new Date(Date.now() - STALE_TEMP_MS - 60_000);
    for (const name of oldOnes) utimesSync(join(dir, name), then, then);

    assert.deepEqual(sweepTempLeftovers(dir, { target: 'agent.lock' }).sort(), [...leftovers, ...oldOnes].sort());
    assert.deepEqual(readdirSync(dir).sort(), kept.sort());
  });
});
