// The crypt commands of the `strata` CLI, run for real as child processes: vault, files, encrypt, with a
// passphrase file or an unlock session, and their errors (wrong passphrase, locked vault, damaged file).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ageCli, inTerminal } from '../../age/age-cli.js';
import { bytes } from './crypt-rig.js';

const STRATA = fileURLToPath(new URL('../../../../bin/strata.js', import.meta.url));
let root: string;
let folder: string;
let dataDir: string;
let passFile: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function strata(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [STRATA, '--data-dir', dataDir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'strata-cli-crypt-'));
  folder = join(root, 'protected');
  dataDir = join(root, 'data');
  passFile = join(root, 'pass.txt');
  await mkdir(folder);
  await writeFile(passFile, 'a long passphrase\n');
  const created = await strata('vault', 'create', folder, '--passphrase-file', passFile);
  assert.equal(created.code, 0, created.stderr);
});
after(() => rm(root, { recursive: true, force: true }));

describe('strata vault / files / encrypt', () => {
  it('files put, cat, ls and rm work through the stack with --passphrase-file; the file lands as age', async () => {
    await writeFile(join(root, 'src.bin'), bytes(100_000, 21));
    const put = await strata('files', 'put', folder, 'docs.bin', join(root, 'src.bin'), '--passphrase-file', passFile);
    assert.equal(put.code, 0, put.stderr);
    assert.equal((await readFile(join(folder, 'docs.bin'))).subarray(0, 21).toString(), 'age-encryption.org/v1');
    const cat = await new Promise<Buffer>((resolve, reject) =>
      execFile(process.execPath, [STRATA, '--data-dir', dataDir, 'files', 'cat', folder, 'docs.bin', '--passphrase-file', passFile], { encoding: 'buffer', maxBuffer: 1 << 24 }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
    assert.deepEqual(new Uint8Array(cat), bytes(100_000, 21));
    const ls = await strata('--json', 'files', 'ls', folder, '--passphrase-file', passFile);
    assert.deepEqual(JSON.parse(ls.stdout), [{ name: 'docs.bin', directory: false, reparse: false, size: 100_000, encrypted: true }], 'the vault folder is hidden');
    const removed = await strata('files', 'rm', folder, 'docs.bin', '--passphrase-file', passFile);
    assert.equal(removed.code, 0, removed.stderr);
    assert.deepEqual((await readdir(folder)).sort(), ['.strata-vault']);
  });

  it('a wrong passphrase is a clear error (exit 1) and changes nothing', async () => {
    const before = await readFile(join(folder, '.strata-vault', 'identity.age'));
    await writeFile(join(root, 'wrong.txt'), 'not it\n');
    const result = await strata('vault', 'passwd', folder, '--passphrase-file', join(root, 'wrong.txt'), '--new-passphrase-file', passFile);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /wrong passphrase: it does not open .*identity\.age; nothing was changed/);
    assert.deepEqual(await readFile(join(folder, '.strata-vault', 'identity.age')), before);
  });

  it('unlock makes later commands work without a passphrase (session file 0600); lock ends it', async () => {
    const unlocked = await strata('vault', 'unlock', folder, '--passphrase-file', passFile, '--minutes', '5');
    assert.equal(unlocked.code, 0, unlocked.stderr);
    const sessions = await readdir(join(dataDir, 'crypt-sessions'));
    assert.equal(sessions.length, 1);
    assert.equal((await stat(join(dataDir, 'crypt-sessions', sessions[0]!))).mode & 0o777, 0o600);
    await writeFile(join(root, 'note.txt'), 'remember the milk');
    assert.equal((await strata('files', 'put', folder, 'note.txt', join(root, 'note.txt'))).code, 0);
    assert.equal((await strata('files', 'cat', folder, 'note.txt')).stdout, 'remember the milk');
    assert.equal((await strata('vault', 'lock', folder)).code, 0);
    const locked = await strata('files', 'cat', folder, 'note.txt');
    assert.equal(locked.code, 1);
    assert.match(locked.stderr, /vault of .* is locked: run 'strata vault unlock/);
  });

  it('encrypt encrypts every plain file in place, and a second run finds nothing left to do', async () => {
    await mkdir(join(folder, 'old'), { recursive: true });
    await writeFile(join(folder, 'old', 'a.txt'), 'plain a');
    await writeFile(join(folder, 'b.txt'), bytes(200_000, 4));
    const first = await strata('--json', 'encrypt', folder, '--passphrase-file', passFile);
    assert.equal(first.code, 0, first.stderr);
    const report = JSON.parse(first.stdout) as { encrypted: string[] };
    assert.deepEqual(report.encrypted.sort(), ['\\b.txt', '\\old\\a.txt']);
    assert.equal((await readFile(join(folder, 'old', 'a.txt'))).subarray(0, 21).toString(), 'age-encryption.org/v1');
    const second = await strata('--json', 'encrypt', folder, '--passphrase-file', passFile);
    assert.equal((JSON.parse(second.stdout) as { encrypted: string[] }).encrypted.length, 0);
  });

  it('export-identity prints a recovery key the age CLI decrypts the files with', async () => {
    const exported = await strata('vault', 'export-identity', folder, '--passphrase-file', passFile);
    assert.equal(exported.code, 0, exported.stderr);
    await writeFile(join(root, 'recovery.txt'), exported.stdout);
    assert.equal(new TextDecoder().decode(await ageCli(['-d', '-i', join(root, 'recovery.txt'), join(folder, 'old', 'a.txt')])), 'plain a');
  });

  it('passphrases are prompted on the terminal with echo off (vault create asks twice, unlock once)', async () => {
    const other = join(root, 'prompted');
    await mkdir(other);
    const created = await inTerminal([process.execPath, STRATA, '--data-dir', dataDir, 'vault', 'create', other], ['typed secret', 'typed secret']);
    assert.equal(created.code, 0, created.terminal);
    assert.match(created.terminal, /Vault created for /);
    const unlocked = await inTerminal([process.execPath, STRATA, '--data-dir', dataDir, 'vault', 'unlock', other], ['typed secret']);
    assert.equal(unlocked.code, 0, unlocked.terminal);
    assert.doesNotMatch(created.terminal + unlocked.terminal, /typed secret/, 'the passphrase is never echoed');
    const wrong = await inTerminal([process.execPath, STRATA, '--data-dir', dataDir, 'vault', 'unlock', other], ['typed secrets']);
    assert.equal(wrong.code, 1);
    assert.match(wrong.terminal, /wrong passphrase/);
  });

  it('cat of a damaged file fails with a message naming the file and the damage, and prints no plaintext', async () => {
    const path = join(folder, 'b.txt');
    const file = await readFile(path);
    file[file.length - 100]! ^= 1;
    await writeFile(path, file);
    const result = await strata('files', 'cat', folder, 'b.txt', '--passphrase-file', passFile);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /cannot read b\.txt: the encrypted file is damaged .*STATUS_FILE_CORRUPT_ERROR/);
    assert.equal(result.stdout, '');
  });
});
