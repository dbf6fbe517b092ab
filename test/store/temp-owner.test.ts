// Writer tags of temporary names: a leftover is told from a live writer's file by real processes' fate.
// A tag names this host, a process id and the process's run; only a writer known to be gone makes a
// leftover (another host's, or this run's, never do; a zombie is gone); an untagged name goes once untouched for a day.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UNTAGGED_TEMP_AGE_MS, isLeftoverTemp, tempOwnerState, tempOwnerTag } from '../../main/store/temp-owner.js';
import { startProcess, startZombie } from './process-fixtures.js';

const [host, , run] = tempOwnerTag().split('-') as [string, string, string];
const tagOf = (pid: number, runId = run, hostId = host): string => `${hostId}-${pid}-${runId}-0a1b2c`;

describe('temporary file owners', () => {
  it('this process\'s tag is "<host>-<pid>-<run>", and its own files are never leftovers', () => {
    assert.match(tempOwnerTag(), new RegExp(`^[0-9a-f]{8}-${process.pid}-[0-9a-f]{8}$`));
    assert.equal(tempOwnerState(`${tempOwnerTag()}-0a1b2c`), 'this-run');
    assert.equal(isLeftoverTemp(`${tempOwnerTag()}-0a1b2c`, 0), false);
  });

  it('a live process\'s file is kept; once the process has exited, its file is a leftover', async () => {
    const writer = await startProcess();
    assert.equal(tempOwnerState(tagOf(writer.pid)), 'alive');
    assert.equal(isLeftoverTemp(tagOf(writer.pid), 0), false);
    await writer.stop();
    assert.equal(tempOwnerState(tagOf(writer.pid)), 'gone');
    assert.equal(isLeftoverTemp(tagOf(writer.pid), Date.now()), true);
  });

  it('a writer that has exited but is not reaped yet (a zombie) is gone: its file is a leftover', { skip: process.platform !== 'linux' }, async (t) => {
    const zombie = await startZombie(t);
    assert.equal(tempOwnerState(tagOf(zombie)), 'gone');
    assert.equal(isLeftoverTemp(tagOf(zombie), Date.now()), true);
  });

  it('our own pid under another run id was an earlier process: a leftover', () => {
    const otherRun = run === '00000000' ? '11111111' : '00000000';
    assert.equal(tempOwnerState(tagOf(process.pid, otherRun)), 'gone');
  });

  it('another host\'s file is kept whatever its pid, and however old', async () => {
    const gone = await startProcess();
    await gone.stop();
    const otherHost = host === 'ffffffff' ? 'eeeeeeee' : 'ffffffff';
    assert.equal(tempOwnerState(tagOf(gone.pid, run, otherHost)), 'unknown');
    assert.equal(isLeftoverTemp(tagOf(gone.pid, run, otherHost), 0), false);
  });

  it('an untagged name (an older Strata) is a leftover only once untouched for UNTAGGED_TEMP_AGE_MS', () => {
    const now = Date.now();
    assert.equal(tempOwnerState('1a2b3c4d5e6f'), 'unknown');
    assert.equal(isLeftoverTemp('1a2b3c4d5e6f', now - 1000, now), false);
    assert.equal(isLeftoverTemp('1a2b3c4d5e6f', now - UNTAGGED_TEMP_AGE_MS - 1, now), true);
  });
});
