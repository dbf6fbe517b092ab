// Real processes for tests that judge whether a recorded process still runs: one that runs until stopped,
// one that has exited (and been reaped), and a zombie (exited, not yet reaped by its parent).

import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Cleanup {
  after(fn: () => void | Promise<void>): void;
}

/** A node process that runs until stopped; stop() resolves once it has exited. */
export async function startProcess(): Promise<{ pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30); process.stdout.write("up\\n")'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise((resolve) => child.stdout.once('data', resolve));
  const stop = async (): Promise<void> => {
    child.kill('SIGKILL');
    await exited;
  };
  return { pid: child.pid!, stop };
}

/** The pid of a process that has exited and been reaped (free, until the system hands it out again). */
export function exitedPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

/**
 * A zombie's pid: its parent spawns it, then blocks its own event loop for good, so it never reaps the
 * child once that has exited. Linux only (the wait reads the state from /proc). The parent is killed
 * after the test, and the zombie with it is reaped by init.
 */
export async function startZombie(t: Cleanup): Promise<number> {
  const parentScript =
    "const child = require('node:child_process').spawn(process.execPath, ['-e', '']);" +
    "process.stdout.write(child.pid + '\\n');" +
    'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);';
  const parent = spawn(process.execPath, ['-e', parentScript], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => void parent.kill('SIGKILL'));
  const pid = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (data: Buffer) => resolve(data.toString()))));
  while (processState(pid) !== 'Z') {
    if (processState(pid) === undefined) throw new Error(`zombie fixture: process ${pid} vanished before it could be seen as a zombie`);
    await sleep(10);
  }
  return pid;
}

/** Field 3 of /proc/<pid>/stat (R, S, Z, ...), or undefined when there is no such process. */
function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}
