// The CLI of this very build run as a child process (bin/strata.js would run the one in build/), to its
// end: its exit code and what it printed. stdin is not a terminal, so nothing prompts: it is empty, or
// gives `input` (over a socket, as Node connects a child's stdin; `sh -c 'cat | "$@"'` as the wrapper
// makes it a pipe).

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';

// Compiled to <build>/test/cli/: the CLI entry of the same build.
export const CLI_ENTRY = fileURLToPath(new URL('../../main/cli/main.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliChildOptions {
  env?: NodeJS.ProcessEnv;
  /** A program the CLI runs under, with its arguments (setpriv …). */
  wrapper?: readonly string[];
  /** What the CLI reads from stdin, which ends after it. Default: nothing (stdin ignored). */
  input?: string;
}

/** Runs `strata --data-dir <dataDir> ...args`. */
export function runCli(dataDir: string, args: readonly string[], options: CliChildOptions = {}): Promise<CliRun> {
  const [file, ...rest] = [...(options.wrapper ?? []), process.execPath, CLI_ENTRY, '--data-dir', dataDir, ...args];
  return new Promise((resolve, reject) => {
    const stdin = options.input === undefined ? 'ignore' : 'pipe';
    const child = spawn(file!, rest, { env: options.env ?? process.env, stdio: [stdin, 'pipe', 'pipe'] });
    // A CLI that ends without reading all of it closes the pipe: that is its answer, not the test's error.
    child.stdin?.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') reject(error);
    });
    child.stdin?.end(options.input);
    let stdout = '';
    let stderr = '';
    // Both piped (the stdio types cannot tell it once stdin's is chosen at run time).
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface CliScratch {
  /** The test file's temp folder (set before its first test). */
  readonly root: string;
  /** Runs this build's CLI with its data dir inside `root`. */
  strata(...args: string[]): Promise<CliRun>;
}

/** A temp folder for one test file's CLI runs: made before its tests, removed after them. */
export function cliScratch(prefix: string): CliScratch {
  let root = '';
  before(async () => {
    root = await mkdtemp(join(tmpdir(), prefix));
  });
  after(() => rm(root, { recursive: true, force: true }));
  return {
    get root() {
      return root;
    },
    strata: (...args: string[]) => runCli(join(root, 'data'), args),
  };
}
