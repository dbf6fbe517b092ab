// `strata folder create-vault|unlock|lock`: an encrypted folder's key, held by the running agent. The
// passphrase comes from --passphrase-file or a prompt, never from an argument (the process list shows those).

import type { Folder } from '../../api/index.js';
import { UsageError } from '../cli-error.js';
import type { LeafCommand } from '../command.js';
import { withApi } from './agent-session.js';
import { passphraseFrom } from './crypt/passphrase.js';
import { folderRef } from './folder-format.js';

const passphraseOption = (cmd: import('commander').Command) =>
  cmd.argument('<folder>', 'id, name or path').option('--passphrase-file <file>', 'read the passphrase from the first line of this file');

function lockLine(folder: Folder): string {
  const lock = folder.runtime?.protections.find((p) => p.kind === 'crypt')?.lock;
  return `'${folder.name}' is ${lock ?? 'not running in an agent'}`;
}

export const createVaultCommand: LeafCommand = {
  name: 'create-vault',
  summary: "create an encrypted folder's vault (its key, wrapped by a passphrase)",
  define: passphraseOption,
  run: (ctx, { args, options }) =>
    withApi(ctx, async (api) => {
      const passphrase = await passphraseFrom(options.passphraseFile, 'New vault passphrase: ');
      if (options.passphraseFile === undefined && (await passphraseFrom(undefined, 'Again: ')) !== passphrase) throw new UsageError('the two passphrases differ; nothing was created');
      const folder = await api.createVault({ folder: folderRef(args[0]), passphrase });
      return { data: folder, text: `created the vault of '${folder.name}' in ${folder.path}/.strata-vault; keep the passphrase safe: it is the only way to the files` };
    }),
};

export const unlockCommand: LeafCommand = {
  name: 'unlock',
  summary: "unlock an encrypted folder: the running agent keeps its key in memory until it locks",
  define: passphraseOption,
  run: (ctx, { args, options }) =>
    withApi(ctx, async (api) => {
      const folder = await api.unlockFolder({ folder: folderRef(args[0]), passphrase: await passphraseFrom(options.passphraseFile, 'Vault passphrase: ') });
      return { data: folder, text: lockLine(folder) };
    }),
};

export const lockCommand: LeafCommand = {
  name: 'lock',
  summary: "lock an encrypted folder: the agent wipes its key from memory",
  define: (cmd) => cmd.argument('<folder>', 'id, name or path'),
  run: (ctx, { args }) =>
    withApi(ctx, async (api) => {
      const folder = await api.lockFolder({ folder: folderRef(args[0]) });
      return { data: folder, text: lockLine(folder) };
    }),
};
