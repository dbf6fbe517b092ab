// The CLI's passphrase prompt at a real (pseudo-)terminal: a paste whose bytes arrive in pieces split inside
// a character still gives the passphrase the user pasted; `vault passwd` checks the current passphrase before
// it asks for a new one, and a wrong one changes nothing; Ctrl-C ends like an interrupt (status 130,
// "cancelled", nothing created). After each run the terminal has its echo and line editing back.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { vaultPaths } from '../../filters/crypt/vault/vault-layout.js';
import { CLI_ENTRY } from './cli-child.js';
import { strataCli } from './crypt-session-fixtures.js';
import { inTerminalSession, type TerminalSession, type TerminalStep } from './terminal-session.js';

let root: string;
let dataDir: string;

const strata = (...args: string[]) => strataCli(dataDir, ...args);
/** `strata <args>` in a pseudo-terminal, typing each step's keys once its prompt shows. */
const strataInTerminal = (args: readonly string[], ...steps: TerminalStep[]) => inTerminalSession([process.execPath, CLI_ENTRY, '--data-dir', dataDir, ...args], steps);

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'strata-passphrase-prompt-'));
  dataDir = join(root, 'data');
});
after(() => rm(root, { recursive: true, force: true }));

async function newFolder(name: string): Promise<string> {
  const path = join(root, name);
  await mkdir(path);
  return path;
}

async function passphraseFile(name: string, passphrase: string): Promise<string> {
  const path = join(root, `${name}.txt`);
  await writeFile(path, `${passphrase}\n`);
  return path;
}

/** `text` and Enter as the terminal sends them, cut into writes at the given byte offsets. */
function cutAt(text: string, ...offsets: number[]): Uint8Array[] {
  const bytes = Buffer.from(`${text}\r`, 'utf8');
  return [0, ...offsets].map((start, i) => bytes.subarray(start, offsets[i] ?? bytes.length));
}

function assertTerminalRestored(session: TerminalSession): void {
  assert.ok(session.echo && session.icanon, `the terminal has echo ${session.echo ? 'on' : 'off'} and line editing ${session.icanon ? 'on' : 'off'} after the run`);
}

describe('the passphrase prompt at a terminal', () => {
  it('a paste split inside a character (é, an emoji) is read as pasted: the vault opens with the same text from a file', async () => {
    const folder = await newFolder('pasted-in-pieces');
    const passphrase = 'café 🔐 clé';
    // Both answers alike: cut after the first byte of é (2 bytes) and after the second of 🔐 (4 bytes).
    const keys = cutAt(passphrase, Buffer.byteLength('caf') + 1, Buffer.byteLength('café ') + 2);
    const created = await strataInTerminal(['vault', 'create', folder], { until: 'New passphrase', keys }, { until: 'Repeat the passphrase', keys });
    assert.equal(created.code, 0, created.terminal);
    assert.match(created.terminal, /Vault created for /);
    assertTerminalRestored(created);
    const unlocked = await strata('vault', 'unlock', folder, '--passphrase-file', await passphraseFile('pasted', passphrase));
    assert.equal(unlocked.code, 0, unlocked.stderr);
  });

  it('Ctrl-C at the prompt ends like an interrupt: status 130, "cancelled", no vault, the terminal restored', async () => {
    const folder = await newFolder('interrupted');
    const run = await strataInTerminal(['vault', 'create', folder], { until: 'New passphrase', keys: ['\u0003'] });
    assert.equal(run.code, 130, run.terminal);
    assert.match(run.terminal, /New passphrase: \r?\nstrata: cancelled\r?\n$/);
    assert.deepEqual(await readdir(folder), [], 'no vault was created');
    assertTerminalRestored(run);
  });
});

describe('strata vault passwd at a terminal', () => {
  const oldPassphrase = 'the old passphrase';
  const newPassphraseTyped = 'the new passphrase';
  const passwdSteps = (current: string): TerminalStep[] => [
    { until: 'Current passphrase', keys: [`${current}\r`] },
    { until: 'New passphrase', keys: [`${newPassphraseTyped}\r`] },
    { until: 'Repeat the passphrase', keys: [`${newPassphraseTyped}\r`] },
  ];

  async function vaultWithOldPassphrase(name: string): Promise<{ folder: string; oldFile: string }> {
    const folder = await newFolder(name);
    const oldFile = await passphraseFile(`${name}-old`, oldPassphrase);
    const created = await strata('vault', 'create', folder, '--passphrase-file', oldFile);
    assert.equal(created.code, 0, created.stderr);
    return { folder, oldFile };
  }

  it('a wrong current passphrase ends with the error before any new passphrase is asked; nothing changes on disk', async () => {
    const { folder, oldFile } = await vaultWithOldPassphrase('passwd-wrong-old');
    const { dir, identity } = vaultPaths(folder);
    const [namesBefore, identityBefore] = [await readdir(dir), await readFile(identity)];
    const run = await strataInTerminal(['vault', 'passwd', folder], ...passwdSteps('not the old passphrase'));
    assert.equal(run.code, 1, run.terminal);
    assert.match(run.terminal, /strata: wrong passphrase: it does not open .*identity\.age; nothing was changed/);
    assert.doesNotMatch(run.terminal, /New passphrase/, 'no new passphrase was asked');
    assert.equal(run.typed, 1, 'only the current passphrase was typed');
    assertTerminalRestored(run);
    assert.deepEqual(await readdir(dir), namesBefore, 'no file appeared or went in the vault folder (no lock left)');
    assert.deepEqual(await readFile(identity), identityBefore, 'the identity file is as it was');
    const unlocked = await strata('vault', 'unlock', folder, '--passphrase-file', oldFile);
    assert.equal(unlocked.code, 0, unlocked.stderr);
  });

  it('the right current passphrase is followed by the new one, twice; then only the new one opens the vault', async () => {
    const { folder, oldFile } = await vaultWithOldPassphrase('passwd-right-old');
    const run = await strataInTerminal(['vault', 'passwd', folder], ...passwdSteps(oldPassphrase));
    assert.equal(run.code, 0, run.terminal);
    assert.equal(run.typed, 3);
    assert.match(run.terminal, /Passphrase changed for /);
    assertTerminalRestored(run);
    const withNew = await strata('vault', 'unlock', folder, '--passphrase-file', await passphraseFile('passwd-right-new', newPassphraseTyped));
    assert.equal(withNew.code, 0, withNew.stderr);
    const withOld = await strata('vault', 'unlock', folder, '--passphrase-file', oldFile);
    assert.equal(withOld.code, 1);
    assert.match(withOld.stderr, /wrong passphrase/);
  });
});
