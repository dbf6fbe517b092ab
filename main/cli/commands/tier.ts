// `strata tier add|list|remove`: the cold-storage tiers HSM folders release files to, by name.

import { resolve } from 'node:path';
import { withStore } from '../with-store.js';
import { addTier, listTiers, removeTier } from '../../../filters/hsm/tier/tier-config.js';
import type { GroupCommand, LeafCommand } from '../command.js';

const add: LeafCommand = {
  name: 'add',
  summary: 'add a local-directory tier (another disk, a NAS mount); its folder is created if missing',
  define: (cmd) => cmd.argument('<name>', 'tier name (letters, digits, . _ -)').argument('<folder>', 'where the tier keeps its objects'),
  async run(ctx, { args }) {
    const [name, folder] = args as [string, string];
    return withStore(ctx.dataDir, async (store) => {
      const tier = await addTier(store.db, name, resolve(folder));
      return { data: tier, text: `Added tier '${tier.name}' at ${tier.location}` };
    });
  },
};

const list: LeafCommand = {
  name: 'list',
  summary: 'list the tiers, with the folders and stubs that use each',
  run(ctx) {
    return withStore(ctx.dataDir, (store) => {
      const usage = store.db.prepare(`SELECT t.name AS name,
          (SELECT count(*) FROM hsm_folders f WHERE f.tier = t.name) AS folders,
          (SELECT count(*) FROM hsm_stubs s WHERE s.tier = t.name) AS stubs,
          (SELECT coalesce(sum(logical_size), 0) FROM hsm_stubs s WHERE s.tier = t.name) AS bytes
        FROM hsm_tiers t`).all() as { name: string; folders: number; stubs: number; bytes: number }[];
      const byName = new Map(usage.map((row) => [row.name, row]));
      const tiers = listTiers(store.db).map((tier) => ({ ...tier, folders: byName.get(tier.name)!.folders, stubs: byName.get(tier.name)!.stubs, bytes: byName.get(tier.name)!.bytes }));
      const text = tiers.length === 0
        ? 'No tiers. Add one with: strata tier add <name> <folder>'
        : tiers.map((tier) => `${tier.name}\t${tier.kind}\t${tier.location}\t${tier.folders} folder(s), ${tier.stubs} stub(s)`).join('\n');
      return { data: tiers, text };
    });
  },
};

const remove: LeafCommand = {
  name: 'remove',
  summary: 'forget a tier (its objects stay on disk); refused while folders or stubs use it',
  define: (cmd) => cmd.argument('<name>', 'tier name'),
  run(ctx, { args }) {
    const [name] = args as [string];
    return withStore(ctx.dataDir, (store) => {
      removeTier(store.db, name);
      return { data: { removed: name }, text: `Removed tier '${name}' (its folder and objects were left as they are)` };
    });
  },
};

export const tierCommand: GroupCommand = { name: 'tier', summary: 'cold-storage tiers for HSM: add, list, remove', subcommands: [add, list, remove] };
