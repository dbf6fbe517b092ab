// A real agent for end-to-end tests: `node bin/strata.js agent --json` as a child process on temp dirs,
// its ready line read, an API client and event stream on its token; and the CLI run as a child too.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createHttpClient, openEventStream, type StrataApi, type StreamMessage } from '../../main/api/index.js';

// Compiled to build/test/e2e/, three levels below the package root.
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'strata.js');
export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

export interface Cleanup {
  after(fn: () => void | Promise<void>): void;
}

export function tempDir(t: Cleanup, prefix = 'strata-e2e-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface AgentProcess {
  readonly child: ChildProcess;
  readonly ready: { url: string; ui: string; pid: number; dataDir: string; version: string };
  readonly token: string;
  readonly api: StrataApi;
  /** Every stream message received so far. */
  readonly messages: StreamMessage[];
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: the agent dies at once, mid-work. */
  kill9(): Promise<void>;
}

export interface AgentProcessOptions {
  mediaRoot?: string;
  quietMs?: number;
  /** Open the event stream and collect its messages (default true). */
  stream?: boolean;
}

export async function spawnAgent(t: Cleanup, dataDir: string, options: AgentProcessOptions = {}): Promise<AgentProcess> {
  const mediaRoot = options.mediaRoot ?? join(dataDir, '..', `media-${Date.now()}`);
  mkdirSync(mediaRoot, { recursive: true });
  const child = spawn(process.execPath, [BIN, 'agent', '--json', '--data-dir', dataDir, '--media-root', mediaRoot, '--quiet-ms', String(options.quietMs ?? 100), '--verifier'], {
    cwd: ROOT,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  const first = await Promise.race([
    new Promise<string>((resolve) => lines.once('line', resolve)),
    exited.then((code) => Promise.reject(new Error(`the agent exited (${code}) before it was ready: ${stderr}`))),
  ]);
  lines.on('line', () => undefined); // keep draining
  const ready = JSON.parse(first) as AgentProcess['ready'];
  const token = new URLSearchParams(new URL(ready.ui).hash.slice(1)).get('token')!;
  const messages: StreamMessage[] = [];
  const stream = options.stream === false ? null : openEventStream({ baseUrl: ready.url, token, onMessage: (m) => messages.push(m) });
  await stream?.opened;
  let ended = false;
  void exited.then(() => (ended = true));
  const stop = async () => {
    stream?.close();
    if (!ended) child.kill('SIGTERM');
    return exited;
  };
  t.after(async () => {
    if (!ended) await stop();
  });
  return {
    child,
    ready,
    token,
    api: createHttpClient({ baseUrl: ready.url, token }),
    messages,
    stop,
    kill9: async () => {
      stream?.close();
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function strata(args: string[], dataDir: string): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args, '--data-dir', dataDir], { cwd: ROOT, env: cleanEnv(), encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function strataJson<T>(args: string[], dataDir: string): T {
  const run = strata([...args, '--json'], dataDir);
  if (run.status !== 0) throw new Error(`strata ${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('STRATA_')) delete env[key];
  return env;
}

/** Waits until `condition` holds, polling; fails naming `what` after `timeoutMs`. */
export async function eventually<T>(condition: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
