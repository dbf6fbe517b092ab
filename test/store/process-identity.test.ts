// Whether a recorded process still runs, judged against real processes: live, exited, zombie, and live
// pids whose boot or start time differ from the record's (a reused pid); another host's cannot be told.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  currentBootId, identifyProcess, processStartTime, readProcessStat, recordedProcessState, thisHostId,
} from '../../main/store/process-identity.js';
import { exitedPid, startProcess, startZombie } from './process-fixtures.js';

/** The boot id, start times and zombie state come from /proc: Linux only. */
const noProc = currentBootId() === undefined;
const ANOTHER_BOOT = '00000000-0000-4000-8000-000000000000';

describe('process identity', () => {
  it('this process is identified by pid, boot and start time, and runs', { skip: noProc }, () => {
    const self = identifyProcess(process.pid);
    assert.deepEqual(self, { pid: process.pid, bootId: currentBootId(), startTime: processStartTime(process.pid) });
    assert.equal(recordedProcessState(self), 'running');
    assert.equal(recordedProcessState({ ...self, host: thisHostId() }), 'running');
  });

  it('a live process runs until it has exited', async () => {
    const live = await startProcess();
    const recorded = identifyProcess(live.pid);
    assert.equal(recordedProcessState(recorded), 'running');
    await live.stop();
    assert.equal(recordedProcessState(recorded), 'gone');
    assert.equal(recordedProcessState({ pid: exitedPid() }), 'gone');
  });

  it('a zombie (exited, not reaped yet) is gone, whatever its record tells', { skip: noProc }, async (t) => {
    const zombie = await startZombie(t);
    assert.equal(readProcessStat(zombie)?.zombie, true);
    assert.equal(recordedProcessState(identifyProcess(zombie)), 'gone');
    assert.equal(recordedProcessState({ pid: zombie }), 'gone');
  });

  it('a live pid started at another time, or in another boot, is another process: the recorded one is gone', { skip: noProc }, () => {
    const self = identifyProcess(process.pid);
    assert.equal(recordedProcessState({ ...self, startTime: self.startTime! + 12_345 }), 'gone');
    assert.equal(recordedProcessState({ ...self, bootId: ANOTHER_BOOT }), 'gone');
    // A record without a boot id (a journal name) still has its start time judged.
    assert.equal(recordedProcessState({ pid: process.pid, startTime: self.startTime! + 12_345 }), 'gone');
    assert.equal(recordedProcessState({ pid: process.pid, startTime: self.startTime! }), 'running');
  });

  it('a record with only a pid (an older writer, a system without /proc) is judged by its pid alone', () => {
    assert.equal(recordedProcessState({ pid: process.pid }), 'running');
  });

  it('another host\'s or pid namespace\'s process cannot be told from here, even under a pid that runs here', () => {
    assert.match(thisHostId(), /^[0-9a-f]{8}$/);
    const otherHost = thisHostId() === 'ffffffff' ? 'eeeeeeee' : 'ffffffff';
    assert.equal(recordedProcessState({ host: otherHost, pid: process.pid }), 'other-host');
    assert.equal(recordedProcessState({ host: otherHost, pid: exitedPid() }), 'other-host');
  });

  it('a pid that names no process (0 or below would signal a process group) is gone', () => {
    for (const pid of [0, -1, -process.pid, 1.5, Number.NaN, 2 ** 40]) assert.equal(recordedProcessState({ pid }), 'gone', `pid ${pid}`);
  });

  it('the start time is read past a command name holding spaces and ")"', { skip: noProc }, async (t) => {
    const child = spawn(process.execPath, ['-e', 'process.title = "a) b ) c"; process.stdout.write("up\\n"); setInterval(() => {}, 1 << 30)'], { stdio: ['ignore', 'pipe', 'inherit'] });
    t.after(() => void child.kill('SIGKILL'));
    await new Promise((resolve) => child.stdout.once('data', resolve));
    assert.equal(readFileSync(`/proc/${child.pid}/comm`, 'utf8').trim(), 'a) b ) c');
    const stat = readProcessStat(child.pid!);
    assert.equal(stat?.zombie, false);
    // Started after this process: a start time read from the wrong field would hardly be this late.
    assert.ok(stat!.startTime >= processStartTime(process.pid)!, `start time ${stat?.startTime}`);
    assert.equal(recordedProcessState(identifyProcess(child.pid!)), 'running');
  });
});
