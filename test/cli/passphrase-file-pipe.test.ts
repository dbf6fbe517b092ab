// --passphrase-file given a pipe (/dev/stdin fed by the test, as `printf 'old\nnew\n' | strata …` feeds it):
// each passphrase asked takes the next line, and what follows stays in the pipe for the next reader (the data
// of `files put`); a pipe that runs out is a clear error that changes nothing. A regular file still gives its
// first line each time.

import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { vaultPaths } from '../../filters/crypt/vault/vault-layout.js';
import { cliScratch, runCli } from './cli-child.js';

const scratch = cliScratch('strata-passphrase-pipe-');
const dataDir = () => join(scratch.root, 'data');
// Node gives a child's stdin as a socket, which /dev/stdin cannot open (ENXIO); `cat |` makes it the pipe a
// shell's `printf … |` gives.
const SHELL_PIPE = ['sh', '-c', 'cat | "$@"', 'sh'];
/** `strata <args>` with `input` piped to its stdin. */
const strataPiped = (input: string, ...args: string[]) => runCli(dataDir(), args, { input, wrapper: SHELL_PIPE });

async function passphraseFile(name: string, passphrase: string): Promise<string> {
  const path = join(scratch.root, `${name}.txt`);
  await writeFile(path, `${passphrase}\n`);
  return path;
}

async function vaultWith(name: string, passphrase: string): Promise<{ folder: string; file: string }> {
  const folder = join(scratch.root, name);
  await mkdir(folder);
  const file = await passphraseFile(`${name}-passphrase`, passphrase);
  const created = await scratch.strata('vault', 'create', folder, '--passphrase-file', file);
  assert.equal(created.code, 0, created.stderr);
  return { folder, file };
}

describe('--passphrase-file /dev/stdin, a pipe', () => {
  it('two lines piped to vault passwd, which asks twice: the first is the current passphrase, the second the new one', async () => {
    const { folder, file: oldFile } = await vaultWith('passwd-piped', 'old piped');
    const run = await strataPiped('old piped\nnew piped\n', 'vault', 'passwd', folder, '--passphrase-file', '/dev/stdin', '--new-passphrase-file', '/dev/stdin');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Passphrase changed for /);
    const withNew = await scratch.strata('vault', 'unlock', folder, '--passphrase-file', await passphraseFile('passwd-piped-new', 'new piped'));
    assert.equal(withNew.code, 0, withNew.stderr);
    const withOld = await scratch.strata('vault', 'unlock', folder, '--passphrase-file', oldFile);
    assert.equal(withOld.code, 1, 'the old passphrase no longer opens the vault');
  });

  it('a pipe that runs out before the second passphrase is a usage error naming it; the vault is unchanged', async () => {
    const { folder, file: oldFile } = await vaultWith('passwd-piped-short', 'only line');
    const identityBefore = await readFile(vaultPaths(folder).identity);
    const run = await strataPiped('only line\n', 'vault', 'passwd', folder, '--passphrase-file', '/dev/stdin', '--new-passphrase-file', '/dev/stdin');
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stderr, 'strata: the passphrase file /dev/stdin ended before a passphrase line (a pipe gives its next line to each passphrase asked)\n');
    assert.deepEqual(await readFile(vaultPaths(folder).identity), identityBefore, 'the identity file is as it was');
    const withOld = await scratch.strata('vault', 'unlock', folder, '--passphrase-file', oldFile);
    assert.equal(withOld.code, 0, withOld.stderr);
  });

  it('files put with the passphrase on the first line of stdin: the rest of stdin is the data put', async () => {
    const { folder, file } = await vaultWith('put-piped', 'put piped');
    const put = await strataPiped('put piped\r\nthe data\nafter the passphrase\n', 'files', 'put', folder, 'note.txt', '--passphrase-file', '/dev/stdin');
    assert.equal(put.code, 0, put.stderr);
    const cat = await scratch.strata('files', 'cat', folder, 'note.txt', '--passphrase-file', file);
    assert.equal(cat.code, 0, cat.stderr);
    assert.equal(cat.stdout, 'the data\nafter the passphrase\n');
  });

  it('a regular file gives its first line to each passphrase asked: passwd from one file keeps the passphrase', async () => {
    const { folder } = await vaultWith('passwd-same-file', 'first line');
    const twoLines = join(scratch.root, 'two-lines.txt');
    await writeFile(twoLines, 'first line\nsecond line\n');
    const run = await scratch.strata('vault', 'passwd', folder, '--passphrase-file', twoLines, '--new-passphrase-file', twoLines);
    assert.equal(run.code, 0, run.stderr);
    const withFirst = await scratch.strata('vault', 'unlock', folder, '--passphrase-file', twoLines);
    assert.equal(withFirst.code, 0, withFirst.stderr);
  });
});
