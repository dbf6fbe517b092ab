// The CLI's passphrase prompt at a real (pseudo-)terminal: a paste whose bytes arrive in pieces split inside
// a character still gives the passphrase the user pasted; a paste of several answers in one write
// ("pass⏎pass⏎") answers as many prompts; `vault passwd` checks the current passphrase before it asks for a
// new one, and a wrong one changes nothing; Ctrl-C ends like an interrupt (status 130, "cancelled", nothing
// created); Ctrl-D ends an empty prompt as end of input (status 2) and is dropped in the middle of a line;
// Backspace removes a whole character; nothing typed is echoed; a terminal given as --passphrase-file is
// refused. After each run the terminal has its echo and line editing back.
//
// Where a fault would leave the prompt waiting for keys the test never types, a later step types an answer
// that only a prompt asking again reads, one that makes the run fail: the run always ends, without timing.

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

  it('a paste of the passphrase and its confirmation in one write ("pass⏎pass⏎") answers both prompts; none of it shows', async () => {
    const folder = await newFolder('pasted-twice');
    const passphrase = 'pasted twice ✓';
    const run = await strataInTerminal(
      ['vault', 'create', folder],
      { until: 'New passphrase', keys: [`${passphrase}\r${passphrase}\r`] },
      // Read only by a confirmation prompt that lost the paste's second line: it differs from the first.
      { until: 'Repeat the passphrase', keys: ['not what was pasted\r'] },
    );
    assert.equal(run.code, 0, run.terminal);
    assert.match(run.terminal, /^New passphrase: \r?\nRepeat the passphrase: \r?\n/);
    assert.match(run.terminal, /Vault created for /);
    assert.doesNotMatch(run.terminal, /pasted twice/, 'nothing of the passphrase is echoed');
    assertTerminalRestored(run);
    const unlocked = await strata('vault', 'unlock', folder, '--passphrase-file', await passphraseFile('pasted-twice', passphrase));
    assert.equal(unlocked.code, 0, unlocked.stderr);
  });

  // NUL: how a Ctrl-D typed while no prompt is up (between two prompts) reaches the next one.
  for (const [name, key] of [['Ctrl-D', '\u0004'], ['NUL', '\u0000']]) {
    it(`${name} at an empty prompt ends it as end of input: status 2, "no passphrase given", no vault; an Enter behind it is not read`, async () => {
      const folder = await newFolder(`end-of-input-${name}`);
      const run = await strataInTerminal(
        ['vault', 'create', folder],
        { until: 'New passphrase', keys: [`${key}\r`] },
        // Read only if the key was taken as a character of the passphrase: then the confirmation matches.
        { until: 'Repeat the passphrase', keys: [`${key}\r`] },
      );
      assert.equal(run.code, 2, run.terminal);
      assert.match(run.terminal, /^New passphrase: \r?\nstrata: no passphrase given: the input ended \(Ctrl-D\) at the prompt\r?\n$/);
      assert.equal(run.typed, 1, 'no confirmation was asked');
      assert.deepEqual(await readdir(folder), [], 'no vault was created');
      assertTerminalRestored(run);
    });
  }

  it('Ctrl-D (or NUL) in the middle of a line is dropped, never part of the passphrase', async () => {
    const folder = await newFolder('end-of-input-mid-line');
    const run = await strataInTerminal(['vault', 'create', folder], { until: 'New passphrase', keys: ['pass\u0004wo\u0000rd\r'] }, { until: 'Repeat the passphrase', keys: ['password\r'] });
    assert.equal(run.code, 0, run.terminal);
    assertTerminalRestored(run);
    const unlocked = await strata('vault', 'unlock', folder, '--passphrase-file', await passphraseFile('mid-line', 'password'));
    assert.equal(unlocked.code, 0, unlocked.stderr);
  });

  it('Backspace removes a whole character (an emoji split between two reads, an é), nothing at an empty prompt; nothing shows', async () => {
    const folder = await newFolder('erased');
    const typed = Buffer.from('pass🔐é', 'utf8');
    const inside = Buffer.byteLength('pass') + 2;
    // DEL at the empty prompt, then "pass🔐é" cut inside 🔐, two DELs (é, then 🔐) and "e": "passe".
    const keys = [Buffer.concat([Buffer.from('\u007f'), typed.subarray(0, inside)]), Buffer.concat([typed.subarray(inside), Buffer.from('\u007f\u007fe\r')])];
    const run = await strataInTerminal(['vault', 'create', folder], { until: 'New passphrase', keys }, { until: 'Repeat the passphrase', keys: ['passe\r'] });
    assert.equal(run.code, 0, run.terminal);
    assert.match(run.terminal, /^New passphrase: \r?\nRepeat the passphrase: \r?\nVault created for /, 'nothing typed shows');
    assertTerminalRestored(run);
    const unlocked = await strata('vault', 'unlock', folder, '--passphrase-file', await passphraseFile('erased', 'passe'));
    assert.equal(unlocked.code, 0, unlocked.stderr);
  });

  it('a terminal given as --passphrase-file (/dev/stdin) is refused, as it would show the passphrase: status 2, no vault', async () => {
    const folder = await newFolder('terminal-as-file');
    // Typed at once: read from the terminal as a file, this line and Ctrl-D (end of file) would make a vault.
    const run = await strataInTerminal(['vault', 'create', folder, '--passphrase-file', '/dev/stdin'], { until: '', keys: ['typed at the terminal\r\u0004'] });
    assert.equal(run.code, 2, run.terminal);
    assert.match(run.terminal, /strata: the passphrase file \/dev\/stdin is a terminal, which would show the passphrase as it is typed: leave out the option to be asked with echo off\r?\n/);
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

  it('a paste of all three answers in one write answers the three prompts, across the check of the current passphrase', async () => {
    const { folder } = await vaultWithOldPassphrase('passwd-pasted');
    const run = await strataInTerminal(
      ['vault', 'passwd', folder],
      { until: 'Current passphrase', keys: [`${oldPassphrase}\r${newPassphraseTyped}\r${newPassphraseTyped}\r`] },
      // Read only by prompts that lost the rest of the paste: two answers that differ.
      { until: 'New passphrase', keys: ['not pasted, one\r'] },
      { until: 'Repeat the passphrase', keys: ['not pasted, two\r'] },
    );
    assert.equal(run.code, 0, run.terminal);
    assert.match(run.terminal, /^Current passphrase: \r?\nNew passphrase: \r?\nRepeat the passphrase: \r?\n/);
    assert.doesNotMatch(run.terminal, /the (old|new) passphrase/, 'nothing of the passphrases is echoed');
    assertTerminalRestored(run);
    const withNew = await strata('vault', 'unlock', folder, '--passphrase-file', await passphraseFile('passwd-pasted-new', newPassphraseTyped));
    assert.equal(withNew.code, 0, withNew.stderr);
  });
});
