// `strata files put` run for real as a child process: the source streams through the stack (it reaches the
// disk before the source ends, never held whole in memory), missing parent folders are created, and a put
// stopped part-way leaves the old version of the file as it was.

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { bytes } from '../filters/crypt/crypt-rig.js';

const STRATA = fileURLToPath(new URL('../../../bin/strata.js', import.meta.url));
let root: string;
let folder: string;
let dataDir: string;
let passFile: string;

function strata(args: string[], input?: Uint8Array): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [STRATA, '--data-dir', dataDir, ...args], { encoding: 'buffer', maxBuffer: 256 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr: stderr.toString() });
    });
    child.stdin!.end(input ?? new Uint8Array(0));
  });
}

/** Bytes of every file in `dir` (hidden ones included), summed. */
async function bytesIn(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (entry.isFile()) total += (await stat(join(dir, entry.name))).size;
  }
  return total;
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'strata-files-put-'));
  folder = join(root, 'protected');
  dataDir = join(root, 'data');
  passFile = join(root, 'pass.txt');
  await mkdir(folder);
  await writeFile(passFile, 'put passphrase\n');
  const created = await strata(['vault', 'create', folder, '--passphrase-file', passFile]);
  assert.equal(created.code, 0, created.stderr);
});
after(() => rm(root, { recursive: true, force: true }));

describe('strata files put', () => {
  it('creates missing parent folders, and the file reads back whole through Strata', async () => {
    const data = bytes(3_000_000, 5);
    const put = await strata(['files', 'put', folder, 'a/b/c/deep.bin', '--passphrase-file', passFile], data);
    assert.equal(put.code, 0, put.stderr);
    assert.equal((await readFile(join(folder, 'a', 'b', 'c', 'deep.bin'))).subarray(0, 21).toString(), 'age-encryption.org/v1');
    const cat = await strata(['files', 'cat', folder, 'a/b/c/deep.bin', '--passphrase-file', passFile]);
    assert.deepEqual(new Uint8Array(cat.stdout), data);
    assert.deepEqual(await readdir(join(folder, 'a', 'b', 'c')), ['deep.bin'], 'no copy is left beside it');
  });

  it('a file in the way of a parent folder is a clear error, and nothing is written', async () => {
    await writeFile(join(root, 'small.txt'), 'x');
    assert.equal((await strata(['files', 'put', folder, 'plain-file', join(root, 'small.txt'), '--passphrase-file', passFile])).code, 0);
    const put = await strata(['files', 'put', folder, 'plain-file/inside.txt', join(root, 'small.txt'), '--passphrase-file', passFile]);
    assert.equal(put.code, 1);
    assert.match(put.stderr, /cannot create the folder plain-file/);
  });

  it("a path ending in a slash, or going up with '..', is refused naming why, and nothing is written", async () => {
    await writeFile(join(root, 'small.txt'), 'x');
    const before = (await readdir(folder)).sort();
    const slash = await strata(['files', 'put', folder, 'newdir/', join(root, 'small.txt'), '--passphrase-file', passFile]);
    assert.equal(slash.code, 1);
    assert.match(slash.stderr, /cannot write newdir\/ \(a file's path, not a folder's\)/);
    const up = await strata(['files', 'put', folder, 'a/../../x.txt', join(root, 'small.txt'), '--passphrase-file', passFile]);
    assert.equal(up.code, 1);
    assert.match(up.stderr, /cannot go up with '\.\.'/);
    assert.deepEqual((await readdir(folder)).sort(), before);
  });

  it('the source streams: its bytes reach the disk before it ends, and a put stopped part-way leaves the old version', async () => {
    const old = bytes(200_000, 1);
    assert.equal((await strata(['files', 'put', folder, 'doc.bin', '--passphrase-file', passFile], old)).code, 0);
    const child = spawn(process.execPath, [STRATA, '--data-dir', dataDir, 'files', 'put', folder, 'doc.bin', '--passphrase-file', passFile], { stdio: ['pipe', 'ignore', 'pipe'] });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const piece = bytes(1 << 20, 9);
    const baseline = await bytesIn(folder);
    // Feed 24 MiB and keep the source open: a put that waited for the whole source would write nothing yet.
    for (let i = 0; i < 24; i++) if (!child.stdin.write(piece)) await new Promise((resolve) => child.stdin.once('drain', resolve));
    let reached = false;
    for (let waited = 0; waited < 60_000 && !reached; waited += 100) {
      reached = (await bytesIn(folder)) >= baseline + (8 << 20);
      if (!reached) await delay(100);
    }
    child.kill('SIGKILL');
    await exited;
    assert.ok(reached, 'no part of the source reached the folder while the source was still open: the put held it in memory');
    const cat = await strata(['files', 'cat', folder, 'doc.bin', '--passphrase-file', passFile]);
    assert.equal(cat.code, 0, cat.stderr);
    assert.deepEqual(new Uint8Array(cat.stdout), old, 'the old version is intact');
  });
});
