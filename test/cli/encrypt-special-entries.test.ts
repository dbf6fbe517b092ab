// `strata encrypt` (a real child process of this build) on a folder holding a named pipe and a file with a
// second name outside the folder (a hard link): the pipe stays a pipe and the run ends; the hard-linked
// file is encrypted, and the CLI says, per file and in the summary, that its other name keeps the plaintext.

import assert from 'node:assert/strict';
import { link, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isFifo, makeFifo } from '../volumes/host-special-files.js';
import { cliScratch } from './cli-child.js';


const scratch = cliScratch('strata-cli-eip-special-');
const { strata } = scratch;

describe('strata encrypt on a named pipe and a hard-linked file', () => {
  it('leaves the pipe a pipe, encrypts the linked file and reports that its other name keeps the plaintext', async () => {
    const folder = join(scratch.root, 'protected');
    const pass = join(scratch.root, 'pass.txt');
    await mkdir(folder);
    await writeFile(pass, 'a long passphrase\n');
    await writeFile(join(folder, 'a.txt'), 'two names');
    await link(join(folder, 'a.txt'), join(scratch.root, 'outside.txt'));
    await writeFile(join(folder, 'b.txt'), 'one name');
    makeFifo(join(folder, 'fifo'));
    const created = await strata('vault', 'create', folder, '--passphrase-file', pass);
    assert.equal(created.code, 0, created.stderr);

    const run = await strata('encrypt', folder, '--passphrase-file', pass);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /2 file\(s\) encrypted/);
    assert.match(run.stdout, /1 with other names \(hard links\)/);
    assert.match(run.stderr, /a\.txt: encrypted, but the file has other names \(hard links\)/);
    assert.doesNotMatch(run.stderr, /b\.txt|fifo/);
    assert.ok(isFifo(join(folder, 'fifo')), 'the pipe is still a pipe');
    assert.equal((await readFile(join(folder, 'a.txt'))).subarray(0, 21).toString(), 'age-encryption.org/v1');
    assert.equal(await readFile(join(scratch.root, 'outside.txt'), 'utf8'), 'two names');
  });
});
