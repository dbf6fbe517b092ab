// End-to-end tests of the `strata` CLI: spawns the real bin/strata.js with real data dirs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { migrations } from '../../main/store/index.js';

// Compiled to build/test/cli/, three levels below the package root.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'strata.js');
const latest = migrations[migrations.length - 1]!.version;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function strata(args: string[], env: Record<string, string | undefined> = {}): Run {
  const base = { ...process.env };
  for (const key of Object.keys(base)) if (key.startsWith('STRATA_')) delete base[key];
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...base, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const STACK_LINE = /^\s+at /m;

test('--version prints the version from package.json', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const r = strata(['--version']);
  assert.equal(r.status, 0);
  assert.equal(r.stdout.trim(), pkg.version);
});

test('--help lists the global options and the status command', () => {
  const r = strata(['--help']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Usage: strata/);
  assert.match(r.stdout, /--data-dir <dir>/);
  assert.match(r.stdout, /--json/);
  assert.match(r.stdout, /\bstatus\b/);
});

test('status --json --data-dir reports the data dir, schema version and Node version', (t) => {
  const dataDir = join(tempDir(t), 'data');
  const r = strata(['status', '--json', '--data-dir', dataDir]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const out = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.equal(out.dataDir, dataDir);
  assert.equal(out.schemaVersion, latest);
  assert.equal(out.nodeVersion, process.versions.node);
  assert.equal(out.database, join(dataDir, 'strata.db'));
  assert.ok(existsSync(join(dataDir, 'strata.db')));
});

test('global options may come before the command, and text output is for people', (t) => {
  const dataDir = tempDir(t);
  const r = strata(['--data-dir', dataDir, 'status']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`Data dir:\\s+${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.match(r.stdout, new RegExp(`Schema version:\\s+${latest}\\b`));
  assert.throws(() => JSON.parse(r.stdout));
});

test('STRATA_DATA_DIR is honoured and --data-dir overrides it', (t) => {
  const fromEnv = join(tempDir(t), 'env');
  const fromFlag = join(tempDir(t), 'flag');
  const viaEnv = JSON.parse(strata(['status', '--json'], { STRATA_DATA_DIR: fromEnv }).stdout) as { dataDir: string };
  assert.equal(viaEnv.dataDir, fromEnv);
  const viaFlag = strata(['status', '--json', '--data-dir', fromFlag], { STRATA_DATA_DIR: fromEnv });
  assert.equal((JSON.parse(viaFlag.stdout) as { dataDir: string }).dataDir, fromFlag);
});

test('without --data-dir the OS per-user config folder is used', { skip: process.platform !== 'linux' }, (t) => {
  const home = tempDir(t);
  const r = strata(['status', '--json'], { HOME: home, XDG_CONFIG_HOME: undefined });
  assert.equal(r.status, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { dataDir: string }).dataDir, join(home, '.config', 'Strata'));

  const xdg = join(home, 'xdg');
  const withXdg = strata(['status', '--json'], { HOME: home, XDG_CONFIG_HOME: xdg });
  assert.equal((JSON.parse(withXdg.stdout) as { dataDir: string }).dataDir, join(xdg, 'Strata'));
});

test('an unknown command exits non-zero with a message naming it', () => {
  const r = strata(['frobnicate']);
  assert.notEqual(r.status, 0);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /unknown command 'frobnicate'/);
  assert.doesNotMatch(r.stderr, STACK_LINE);
});

test('an empty --data-dir is a usage error', () => {
  const r = strata(['status', '--data-dir', '']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--data-dir/);
});

test('a database from a newer Strata fails clearly, without a stack trace unless STRATA_DEBUG=1', (t) => {
  const dataDir = tempDir(t);
  const future = new Database(join(dataDir, 'strata.db'));
  future.pragma(`user_version = ${latest + 1}`);
  future.close();

  const r = strata(['status', '--data-dir', dataDir]);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^strata: .*schema version/);
  assert.doesNotMatch(r.stderr, STACK_LINE);

  const debug = strata(['status', '--data-dir', dataDir], { STRATA_DEBUG: '1' });
  assert.equal(debug.status, 1);
  assert.match(debug.stderr, STACK_LINE);
});

test('a data dir that is a file fails with a message naming it', (t) => {
  const file = join(tempDir(t), 'not-a-dir');
  writeFileSync(file, 'x');
  const r = strata(['status', '--data-dir', file]);
  assert.equal(r.status, 1);
  assert.ok(r.stderr.includes(file), r.stderr);
  assert.doesNotMatch(r.stderr, STACK_LINE);
});
