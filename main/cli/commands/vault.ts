// `strata vault create|unlock|lock|passwd|export-identity <folder>`: the passphrase-protected key of a
// protected folder. Passphrases come from a terminal prompt (echo off) or --passphrase-file.

import type { Command } from 'commander';
import { loadSodium } from '../../age/index.js';
import { MAX_WORK_FACTOR, MIN_WORK_FACTOR, changePassphrase, createVault, readVaultInfo, unlockVault } from '../../../filters/crypt/vault/vault.js';
import { CliError, UsageError } from '../cli-error.js';
import type { GroupCommand, LeafCommand } from '../command.js';
import { lockInRunningAgent } from './crypt/agent-vault-lock.js';
import { resolveFolder } from './crypt/crypt-folder.js';
import { passphraseFrom } from './crypt/passphrase.js';
import { warnIfOthersCanRead } from './crypt/secret-output.js';
import { doing } from './crypt/system-error.js';
import { DEFAULT_SESSION_MINUTES, endSession, saveSession } from './crypt/session.js';

const folderAndPassphrase = (cmd: Command): void => {
  cmd.argument('<folder>', 'the protected folder').option('--passphrase-file <file>', 'read the passphrase from the first line of <file>');
};

function workFactorOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < MIN_WORK_FACTOR || n > MAX_WORK_FACTOR) {
    throw new UsageError(`--work-factor takes an integer from ${MIN_WORK_FACTOR} to ${MAX_WORK_FACTOR} (log2 N; 2^${MAX_WORK_FACTOR + 1} and above need more memory than libsodium can use), got '${String(value)}'`);
  }
  return n;
}

// The session keeps the key on disk while it lasts: up to a week, the longest a key should lie there.
const MAX_SESSION_MINUTES = 7 * 24 * 60;

function sessionMinutesOf(value: unknown): number {
  const minutes = Number(value);
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > MAX_SESSION_MINUTES) {
    throw new UsageError(`--minutes takes a number of minutes greater than 0 and at most ${MAX_SESSION_MINUTES} (a week), got '${String(value)}'`);
  }
  return minutes;
}

async function newPassphrase(file: unknown): Promise<string> {
  if (typeof file === 'string') return passphraseFrom(file, '');
  const first = await passphraseFrom(undefined, 'New passphrase: ');
  const again = await passphraseFrom(undefined, 'Repeat the passphrase: ');
  if (first !== again) throw new CliError('the two passphrases differ; nothing was changed');
  return first;
}

const create: LeafCommand = {
  name: 'create',
  summary: 'create the vault of a folder (an age X25519 key protected by a passphrase)',
  define: (cmd) => {
    folderAndPassphrase(cmd);
    cmd.option('--work-factor <n>', `scrypt work factor (log2 N), ${MIN_WORK_FACTOR} to ${MAX_WORK_FACTOR}`, String(MIN_WORK_FACTOR));
  },
  async run(ctx, { args, options }) {
    // Flags are checked before anything is asked.
    const workFactor = workFactorOf(options.workFactor);
    const folder = await resolveFolder(args[0]);
    const passphrase = await newPassphrase(options.passphraseFile);
    const info = await doing(`cannot create the vault of ${folder}`, async () => createVault(await loadSodium(), folder, passphrase, { workFactor }));
    return { data: { folder, recipient: info.recipient }, text: `Vault created for ${folder}\nRecipient: ${info.recipient}` };
  },
};

const unlock: LeafCommand = {
  name: 'unlock',
  summary: 'unlock the vault for later commands (a session in the data dir, 0600, with an expiry)',
  define: (cmd) => {
    folderAndPassphrase(cmd);
    cmd.option('--minutes <n>', 'how long the session lasts', String(DEFAULT_SESSION_MINUTES));
  },
  async run(ctx, { args, options }) {
    // Flags are checked before the key is unwrapped, and the key is wiped whatever happens after.
    const minutes = sessionMinutesOf(options.minutes);
    const folder = await resolveFolder(args[0]);
    const sodium = await loadSodium();
    const passphrase = await passphraseFrom(options.passphraseFile, `Passphrase for ${folder}: `);
    const identity = await doing(`cannot unlock the vault of ${folder}`, () => unlockVault(sodium, folder, passphrase));
    let expires: Date;
    try {
      expires = await saveSession(ctx.dataDir, folder, identity.toString(), minutes);
    } finally {
      identity.wipe();
    }
    return { data: { folder, expires: expires.toISOString() }, text: `Unlocked ${folder} until ${expires.toISOString()} (strata vault lock ${folder} ends it)` };
  },
};

const lock: LeafCommand = {
  name: 'lock',
  summary: "lock the vault: end the unlock session (its key file is overwritten and removed) and wipe the running agent's key",
  define: (cmd) => void cmd.argument('<folder>', 'the protected folder'),
  async run(ctx, { args }) {
    const folder = await resolveFolder(args[0]);
    const sessionEnded = await endSession(ctx.dataDir, folder);
    const agentLocked = await lockInRunningAgent(ctx, folder);
    const wasUnlocked = sessionEnded || agentLocked;
    const what = [sessionEnded ? 'the unlock session ended' : '', agentLocked ? "the agent's key wiped" : ''].filter((part) => part !== '').join(', ');
    return { data: { folder, wasUnlocked, sessionEnded, agentLocked }, text: wasUnlocked ? `Locked ${folder} (${what})` : `${folder} was not unlocked` };
  },
};

const passwd: LeafCommand = {
  name: 'passwd',
  summary: "change the vault's passphrase (re-wraps the key only; files are not touched)",
  define: (cmd) => {
    folderAndPassphrase(cmd);
    cmd.option('--new-passphrase-file <file>', 'read the new passphrase from the first line of <file>');
    cmd.option('--work-factor <n>', `scrypt work factor (log2 N), ${MIN_WORK_FACTOR} to ${MAX_WORK_FACTOR}`, String(MIN_WORK_FACTOR));
  },
  async run(ctx, { args, options }) {
    const workFactor = workFactorOf(options.workFactor);
    const folder = await resolveFolder(args[0]);
    const what = `cannot change the passphrase of the vault of ${folder}`;
    const sodium = await loadSodium();
    const old = await passphraseFrom(options.passphraseFile, 'Current passphrase: ');
    // A new passphrase from the terminal is asked only once the current one has opened the vault, so that a
    // mistyped current passphrase ends here, with nothing typed in vain. One from a file asks nothing: the
    // change itself checks the current passphrase (one scrypt run instead of two).
    let passphrase: string;
    if (typeof options.newPassphraseFile === 'string') passphrase = await newPassphrase(options.newPassphraseFile);
    else {
      await doing(what, async () => (await unlockVault(sodium, folder, old)).wipe());
      passphrase = await newPassphrase(undefined);
    }
    // changePassphrase opens the vault with `old` again under the passphrase-change lock: another change may
    // have landed while the new passphrase was typed, and then this one is refused with nothing changed.
    await doing(what, () => changePassphrase(sodium, folder, old, passphrase, { workFactor }));
    return { data: { folder }, text: `Passphrase changed for ${folder}` };
  },
};

const exportIdentity: LeafCommand = {
  name: 'export-identity',
  summary: 'print the vault key (AGE-SECRET-KEY-1…) as a recovery key: keep it offline',
  define: folderAndPassphrase,
  async run(ctx, { args, options }) {
    const folder = await resolveFolder(args[0]);
    const what = `cannot read the vault of ${folder}`;
    const info = await doing(what, () => readVaultInfo(folder));
    const passphrase = await passphraseFrom(options.passphraseFile, `Passphrase for ${folder}: `);
    const identity = await doing(what, async () => unlockVault(await loadSodium(), folder, passphrase));
    const text = identity.toString();
    identity.wipe();
    warnIfOthersCanRead(ctx.io);
    return { data: { folder, recipient: info.recipient, identity: text }, text: `# recovery key of ${folder}\n# public key: ${info.recipient}\n${text}` };
  },
};

export const vaultCommand: GroupCommand = {
  name: 'vault',
  summary: 'the passphrase-protected key of an encrypted folder',
  subcommands: [create, unlock, lock, passwd, exportIdentity],
};
