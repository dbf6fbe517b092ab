// `strata files ls` (this build's CLI, a real child process) on a folder holding a symbolic link to a
// file, one to a directory and a named pipe: each is listed as a reparse point with no size, in the JSON
// and in words, never as an empty file or a folder to go into.

import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeFifo } from '../volumes/host-special-files.js';
import { cliScratch } from './cli-child.js';

const scratch = cliScratch('strata-cli-ls-reparse-');
const { strata } = scratch;

describe('strata files ls on links and a named pipe', () => {
  it('lists them as reparse points with no size, in JSON and in words', async () => {
    const folder = join(scratch.root, 'protected');
    const pass = join(scratch.root, 'pass.txt');
    await mkdir(join(folder, 'sub'), { recursive: true });
    await writeFile(pass, 'a long passphrase\n');
    await writeFile(join(folder, 'real.txt'), 'hello');
    await symlink('real.txt', join(folder, 'link-to-file'));
    await symlink('sub', join(folder, 'link-to-dir'));
    makeFifo(join(folder, 'pipe'));
    const created = await strata('vault', 'create', folder, '--passphrase-file', pass);
    assert.equal(created.code, 0, created.stderr);

    const json = await strata('--json', 'files', 'ls', folder, '--passphrase-file', pass);
    assert.equal(json.code, 0, json.stderr);
    const entries = (JSON.parse(json.stdout) as { name: string }[]).sort((a, b) => a.name.localeCompare(b.name, 'en'));
    assert.deepEqual(entries, [
      { name: 'link-to-dir', directory: true, reparse: true, size: 0, encrypted: false },
      { name: 'link-to-file', directory: false, reparse: true, size: 0, encrypted: false },
      { name: 'pipe', directory: false, reparse: true, size: 0, encrypted: false },
      { name: 'real.txt', directory: false, reparse: false, size: 5, encrypted: false },
      { name: 'sub', directory: true, reparse: false, size: 0, encrypted: false },
    ]);

    const words = await strata('files', 'ls', folder, '--passphrase-file', pass);
    assert.equal(words.code, 0, words.stderr);
    const lines = words.stdout.trimEnd().split('\n');
    const expected = [
      /^dir link\s+-  link-to-dir \(link, not followed\)$/,
      /^link\/pipe\s+-  link-to-file \(link, named pipe, socket or device: not opened\)$/,
      /^link\/pipe\s+-  pipe \(link, named pipe, socket or device: not opened\)$/,
      /^plain\s+5  real\.txt$/,
      /^dir\s+0  sub\/$/,
    ];
    assert.equal(lines.length, expected.length, words.stdout);
    for (const line of expected) assert.ok(lines.some((l) => line.test(l)), `a line like ${line} in:\n${words.stdout}`);
  });
});
