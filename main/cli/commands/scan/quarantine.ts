// `strata quarantine list|restore|delete`: what the scan filter and `strata scan --quarantine` put in the
// quarantine (encrypted). Restoring puts infected content back, so it needs --i-know-it-is-infected.
// While an agent runs on the data dir, restoring to the original place goes through it: the file is put
// back through its folder's stack and allowed there, so the agent does not quarantine it again.

import { resolve } from 'node:path';
import { openStore } from '../../../store/index.js';
import { QuarantineError, QuarantineStore, type QuarantineEntry } from '../../../../filters/scan/quarantine/quarantine-store.js';
import { readAgentLock } from '../../../agent/server/agent-lock.js';
import type { CliContext, CommandResult, GroupCommand, LeafCommand } from '../../command.js';
import { withApi } from '../agent-session.js';
import { CliError, UsageError } from '../../cli-error.js';
import { formatBytes } from '../../progress.js';

async function withQuarantine<T>(ctx: CliContext, use: (quarantine: QuarantineStore) => Promise<T> | T): Promise<T> {
  const store = openStore(ctx.dataDir);
  try {
    const quarantine = await QuarantineStore.open(ctx.dataDir, store);
    try {
      return await use(quarantine);
    } catch (error) {
      if (error instanceof QuarantineError) throw new CliError(error.message);
      throw error;
    } finally {
      quarantine.close();
    }
  } finally {
    store.close();
  }
}

function describe(entry: QuarantineEntry): string {
  return `${entry.id}  ${new Date(entry.detectedAt).toISOString()}  ${entry.signature}  ${formatBytes(entry.size)}  ${entry.originPath}`;
}

const listCommand: LeafCommand = {
  name: 'list',
  summary: 'list what is in quarantine: id, when, signature, size, where it came from',
  run: (ctx) =>
    withQuarantine(ctx, (quarantine) => {
      const entries = quarantine.list();
      return { data: entries, text: entries.length === 0 ? 'The quarantine is empty.' : entries.map(describe).join('\n') };
    }),
};

const restoreCommand: LeafCommand = {
  name: 'restore',
  summary: 'put a quarantined file back (to where it came from, or --to); it is still infected',
  define: (cmd) =>
    cmd
      .argument('<id>', 'quarantine id (or a unique prefix of it)')
      .option('--to <path>', 'restore to this path instead of the original one')
      .option('--overwrite', 'replace a file that exists at the target')
      .option('--i-know-it-is-infected', 'confirm that you restore infected content on purpose'),
  run: (ctx, { args, options }) =>
    withQuarantine(ctx, async (quarantine): Promise<CommandResult> => {
      const entry = quarantine.get(args[0] as string);
      if (options.iKnowItIsInfected !== true) {
        throw new UsageError(`${entry.id} is infected with ${entry.signature}; to restore it anyway, add --i-know-it-is-infected`);
      }
      if (typeof options.to !== 'string' && readAgentLock(ctx.dataDir) !== null) return restoreThroughAgent(ctx, entry, options.overwrite === true);
      const restored = await quarantine.restore(entry.id, {
        acknowledgeInfected: true,
        overwrite: options.overwrite === true,
        ...(typeof options.to === 'string' ? { to: resolve(options.to) } : {}),
      });
      return { data: { ...restored.entry, restoredTo: restored.path }, text: `restored ${entry.id} (${entry.signature}) to ${restored.path}` };
    }),
};

async function restoreThroughAgent(ctx: CliContext, entry: QuarantineEntry, overwrite: boolean): Promise<CommandResult> {
  return withApi(ctx, async (api) => {
    const restored = await api.restoreQuarantined({ id: entry.id, overwrite, acknowledgeInfected: true });
    const how = restored.throughFolder ? ` through its protected folder '${restored.item.folderName}' (allowed there from now on)` : '';
    return { data: { ...entry, restoredTo: restored.restoredTo }, text: `restored ${entry.id} (${entry.signature}) to ${restored.restoredTo}${how}` };
  });
}

const deleteCommand: LeafCommand = {
  name: 'delete',
  summary: 'delete a quarantined file for good',
  define: (cmd) => cmd.argument('<id>', 'quarantine id (or a unique prefix of it)'),
  run: (ctx, { args }) =>
    withQuarantine(ctx, async (quarantine) => {
      const entry = await quarantine.remove(args[0] as string);
      return { data: entry, text: `deleted ${entry.id} (${entry.signature}, from ${entry.originPath})` };
    }),
};

export const quarantineCommand: GroupCommand = {
  name: 'quarantine',
  summary: 'list, restore or delete quarantined files',
  subcommands: [listCommand, restoreCommand, deleteCommand],
};
