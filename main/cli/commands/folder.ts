// `strata folder add|remove|list|show`: manage protected folders (through the agent when one runs).

import { resolve } from 'node:path';
import type { CliCommand, GroupCommand, LeafCommand } from '../command.js';
import { withApi } from './agent-session.js';
import { folderBlock, folderLine, folderRef } from './folder-format.js';
import { createVaultCommand, lockCommand, unlockCommand } from './folder-vault.js';
import { defineProtectionFlags, policyFromFlags } from './folder-policy-flags.js';

const add: LeafCommand = {
  name: 'add',
  summary: 'protect a folder (with --encrypt, --scan and/or --tier)',
  define: (cmd) => {
    cmd.argument('<path>', 'the folder to protect').option('--name <name>', 'a name for it (default: its base name)');
    defineProtectionFlags(cmd);
  },
  run: (ctx, { args, options }) =>
    withApi(ctx, async (api) => {
      const folder = await api.addFolder({ path: resolve(String(args[0])), name: options.name as string | undefined, policy: policyFromFlags(options) });
      return { data: folder, text: `protected ${folder.path} as '${folder.name}'\n${folderBlock(folder)}` };
    }),
};

const remove: LeafCommand = {
  name: 'remove',
  summary: 'stop protecting a folder (its files stay where and as they are)',
  define: (cmd) => cmd.argument('<folder>', 'id, name or path'),
  run: (ctx, { args }) =>
    withApi(ctx, async (api) => {
      const folder = await api.removeFolder({ folder: folderRef(args[0]) });
      return { data: folder, text: `no longer protecting '${folder.name}' (${folder.path})` };
    }),
};

const list: LeafCommand = {
  name: 'list',
  summary: 'list protected folders',
  run: (ctx) =>
    withApi(ctx, async (api) => {
      const { folders } = await api.listFolders({});
      const text = folders.length === 0 ? 'no protected folders (add one with `strata folder add <path>`)' : ['NAME\tPATH\tPROTECTIONS\tSTATE', ...folders.map(folderLine)].join('\n');
      return { data: { folders }, text };
    }),
};

const show: LeafCommand = {
  name: 'show',
  summary: "show a folder's policy and state",
  define: (cmd) => cmd.argument('<folder>', 'id, name or path'),
  run: (ctx, { args }) =>
    withApi(ctx, async (api) => {
      const folder = await api.getFolder({ folder: folderRef(args[0]) });
      return { data: folder, text: folderBlock(folder) };
    }),
};


export const folderCommand: GroupCommand = { name: 'folder', summary: 'manage protected folders', subcommands: [add, remove, list, show, createVaultCommand, unlockCommand, lockCommand] satisfies CliCommand[] };
