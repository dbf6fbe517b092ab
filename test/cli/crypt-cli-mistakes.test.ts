// The crypt commands of the CLI (this build's, as child processes) facing what a demanding user does: a
// file or an empty string for the folder, a damaged vault, a passphrase file whose first line is empty, a
// bad flag beside a passphrase, backspace over an emoji at the prompt, Ctrl-C at the prompt and during a
// `files cat`, `--json files cat`, `files ls` of a locked vault or of a file, `files rm` of a folder, and
// `export-identity` into a file others can read.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, closeSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inTerminal } from '../age/age-cli.js';
import { bytes } from '../filters/crypt/crypt-rig.js';
import { strataCli } from './crypt-session-fixtures.js';

// Compiled to <build>/test/cli/: the CLI entry of the same build.
const CLI_ENTRY = fileURLToPath(new URL('../../main/cli/main.js', import.meta.url));

let root: string;
let folder: string;
let dataDir: string;
let passFile: string;

const strata = (...args: string[]) => strataCli(dataDir, ...args);

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'strata-cli-mistakes-'));
  folder = join(root, 'protected');
  dataDir = join(root, 'data');
  passFile = join(root, 'pass.txt');
  await mkdir(folder);
  await writeFile(passFile, 'mistakes passphrase\n');
  const created = await strata('vault', 'create', folder, '--passphrase-file', passFile);
  assert.equal(created.code, 0, created.stderr);
});
after(() => rm(root, { recursive: true, force: true }));

/** A fresh folder with a vault of its own (passphrase: passFile's). */
async function newVault(name: string): Promise<string> {
  const path = join(root, name);
  await mkdir(path);
  const created = await strata('vault', 'create', path, '--passphrase-file', passFile);
  assert.equal(created.code, 0, created.stderr);
  return path;
}

describe('strata vault: mistakes in what is given', () => {
  it('a file given as the folder is named as not a folder, by unlock, create and lock alike (lock does not say "was not unlocked")', async () => {
    const file = join(root, 'a-file.txt');
    await writeFile(file, 'not a folder');
    for (const args of [['unlock', file, '--passphrase-file', passFile], ['create', file, '--passphrase-file', passFile], ['lock', file]]) {
      const result = await strata('vault', ...args);
      assert.equal(result.code, 1, `vault ${args[0]}: ${result.stdout}`);
      assert.equal(result.stderr, `strata: ${file} is not a folder: give the path of the protected folder\n`, `vault ${args[0]}`);
    }
  });

  it('an empty folder argument is named as empty', async () => {
    const result = await strata('vault', 'unlock', '', '--passphrase-file', passFile);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /the folder argument is empty/);
  });

  it('a damaged vault (its identity.age a folder) is an error naming the file', async () => {
    const damaged = await newVault('identity-is-a-folder');
    const identity = join(damaged, '.strata-vault', 'identity.age');
    await rm(identity);
    await mkdir(identity);
    const result = await strata('vault', 'unlock', damaged, '--passphrase-file', passFile);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `strata: ${identity} is a folder, not the vault's file: this vault cannot be read\n`);
    assert.deepEqual(await readdir(join(dataDir, 'crypt-sessions')).catch(() => []), [], 'no session was saved');
  });

  it('a passphrase file whose first line is empty is not called empty', async () => {
    const file = join(root, 'first-line-empty.txt');
    await writeFile(file, '\nthe passphrase on line two\n');
    const result = await strata('vault', 'unlock', folder, '--passphrase-file', file);
    assert.equal(result.code, 2);
    assert.equal(result.stderr, `strata: the first line of the passphrase file ${file} is empty (the first line is the passphrase)\n`);
  });

  it('a bad --work-factor is refused before any passphrase is read (create and passwd)', async () => {
    const missing = join(root, 'no-such-passphrase-file');
    const created = await strata('vault', 'create', await newFolder('never-made'), '--passphrase-file', missing, '--work-factor', '30');
    assert.equal(created.code, 2);
    assert.match(created.stderr, /--work-factor takes an integer from 18 to 20/);
    const changed = await strata('vault', 'passwd', folder, '--passphrase-file', missing, '--new-passphrase-file', missing, '--work-factor', '30');
    assert.equal(changed.code, 2);
    assert.match(changed.stderr, /--work-factor takes an integer from 18 to 20/);
  });

  it('backspace at the prompt removes a whole emoji: the vault opens with the passphrase the user sees', async () => {
    const typed = await newFolder('typed-with-backspace');
    const keys = 'a\u{1F510}\u007fb';
    const created = await inTerminal([process.execPath, CLI_ENTRY, '--data-dir', dataDir, 'vault', 'create', typed], [keys, keys]);
    assert.equal(created.code, 0, created.terminal);
    const seen = join(root, 'ab.txt');
    await writeFile(seen, 'ab\n');
    const unlocked = await strata('vault', 'export-identity', typed, '--passphrase-file', seen);
    assert.equal(unlocked.code, 0, unlocked.stderr);
  });

  it('Ctrl-C at the prompt ends the prompt line before saying it was cancelled (status 130, as an interrupt)', async () => {
    const run = await inTerminal([process.execPath, CLI_ENTRY, '--data-dir', dataDir, 'vault', 'create', await newFolder('cancelled')], ['\u0003']);
    assert.equal(run.code, 130);
    // The driver keeps the prompt to itself: what it shows starts right after "New passphrase: ".
    assert.match(run.terminal, /^\r?\nstrata: cancelled/);
  });

  it('export-identity into a file others can read warns on stderr; into an owner-only file it does not', async () => {
    for (const [mode, warned] of [[0o644, true], [0o600, false]] as const) {
      const keyFile = join(root, `key-${mode.toString(8)}.txt`);
      const fd = openSync(keyFile, 'w');
      chmodSync(keyFile, mode);
      const stderr = await new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, [CLI_ENTRY, '--data-dir', dataDir, 'vault', 'export-identity', folder, '--passphrase-file', passFile], { stdio: ['ignore', fd, 'pipe'] });
        let text = '';
        child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
        child.once('error', reject);
        child.once('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`exit ${code}: ${text}`))));
      });
      closeSync(fd);
      assert.match(await readFile(keyFile, 'utf8'), /^AGE-SECRET-KEY-1/m);
      assert.equal(/warning: the secret key goes to a file that others can read \(mode 644\)/.test(stderr), warned, stderr);
    }
  });
});

describe('strata files: mistakes and locked vaults', () => {
  before(async () => {
    const empty = await strata('files', 'put', folder, 'docs/note.txt', '--passphrase-file', passFile);
    assert.equal(empty.code, 0, empty.stderr);
    await writeFile(join(root, 'twelve.txt'), 'twelve bytes');
    const twelve = await strata('files', 'put', folder, 'docs/twelve.txt', join(root, 'twelve.txt'), '--passphrase-file', passFile);
    assert.equal(twelve.code, 0, twelve.stderr);
  });

  it('ls works while the vault is locked (no session, no prompt): names and plaintext sizes need no key', async () => {
    const listed = await strata('--json', 'files', 'ls', folder, 'docs');
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(JSON.parse(listed.stdout), [
      { name: 'note.txt', directory: false, reparse: false, size: 0, encrypted: true },
      { name: 'twelve.txt', directory: false, reparse: false, size: 12, encrypted: true },
    ]);
    const cat = await strata('files', 'cat', folder, 'docs/twelve.txt');
    assert.equal(cat.code, 1, 'reading still needs the key');
    assert.match(cat.stderr, /is locked/);
  });

  it('ls with a wrong --passphrase-file is still an error', async () => {
    const wrong = join(root, 'wrong.txt');
    await writeFile(wrong, 'not the passphrase\n');
    const listed = await strata('files', 'ls', folder, '--passphrase-file', wrong);
    assert.equal(listed.code, 1);
    assert.match(listed.stderr, /wrong passphrase/);
  });

  it('ls of a file says it is a file; rm of a folder says it cannot delete a folder', async () => {
    const listed = await strata('files', 'ls', folder, 'docs/twelve.txt');
    assert.equal(listed.code, 1);
    assert.equal(listed.stderr, 'strata: cannot open docs/twelve.txt: it is a file, not a folder (STATUS_NOT_A_DIRECTORY)\n');
    const removed = await strata('files', 'rm', folder, 'docs', '--passphrase-file', passFile);
    assert.equal(removed.code, 1);
    assert.equal(removed.stderr, 'strata: cannot delete docs: it is a folder (STATUS_FILE_IS_A_DIRECTORY)\n');
  });

  it('a name too long for the file system is called that; the folder itself, given as an empty path, shows as /', async () => {
    const long = 'é'.repeat(200);
    const listed = await strata('files', 'ls', folder, long, '--passphrase-file', passFile);
    assert.equal(listed.code, 1);
    assert.equal(listed.stderr, `strata: cannot open ${long}: the name is too long for the file system (STATUS_NAME_TOO_LONG)\n`);
    const cat = await strata('files', 'cat', folder, '', '--passphrase-file', passFile);
    assert.equal(cat.code, 1);
    assert.equal(cat.stderr, 'strata: cannot open /: it is a folder (STATUS_FILE_IS_A_DIRECTORY)\n');
  });

  it('an unlock session left from before the vault was created anew is named as such, with what to do', async () => {
    const renewed = await newVault('renewed');
    assert.equal((await strata('vault', 'unlock', renewed, '--passphrase-file', passFile)).code, 0);
    await rm(join(renewed, '.strata-vault'), { recursive: true });
    assert.equal((await strata('vault', 'create', renewed, '--passphrase-file', passFile)).code, 0);
    const cat = await strata('files', 'cat', renewed, 'anything.txt');
    assert.equal(cat.code, 1);
    assert.equal(cat.stderr, `strata: the unlock session of ${renewed} holds the key of another vault than ${join(renewed, '.strata-vault', 'vault.json')} names now (the vault was created anew or replaced since the unlock): run 'strata vault lock ${renewed}', then unlock it again\n`);
    assert.equal((await strata('vault', 'lock', renewed)).code, 0);
  });

  it('--json files cat prints the file bytes only, no JSON after them', async () => {
    const cat = await strata('--json', 'files', 'cat', folder, 'docs/twelve.txt', '--passphrase-file', passFile);
    assert.equal(cat.code, 0, cat.stderr);
    assert.equal(cat.stdout, 'twelve bytes');
  });

  it('Ctrl-C stops a files cat part-way with exit code 130 and says how far it got', async () => {
    const size = 48 << 20;
    await writeFile(join(root, 'big.bin'), bytes(size, 3));
    assert.equal((await strata('files', 'put', folder, 'big.bin', join(root, 'big.bin'), '--passphrase-file', passFile)).code, 0);
    const run = await new Promise<{ code: number | null; printed: number; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI_ENTRY, '--data-dir', dataDir, 'files', 'cat', folder, 'big.bin', '--passphrase-file', passFile], { stdio: ['ignore', 'pipe', 'pipe'] });
      let printed = 0;
      let stderr = '';
      let interrupted = false;
      child.stdout!.on('data', (chunk: Buffer) => {
        printed += chunk.length;
        if (interrupted) return;
        // One Ctrl-C while the output is held up, as when a pager waits for the user.
        interrupted = true;
        child.stdout!.pause();
        child.kill('SIGINT');
        setImmediate(() => child.stdout!.resume());
      });
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, printed, stderr }));
    });
    assert.equal(run.code, 130, run.stderr);
    assert.ok(run.printed < size, `printed ${run.printed} of ${size} bytes`);
    assert.match(run.stderr, /^strata: interrupted: big\.bin was printed up to byte \d+ only\n$/);
  });
});

async function newFolder(name: string): Promise<string> {
  const path = join(root, name);
  await mkdir(path);
  return path;
}
