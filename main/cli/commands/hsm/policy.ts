// `strata hsm policy <folder>`: shows the folder's HSM policy, or creates/changes it with the options
// given (the first time a tier is required; the rest defaults to 90 days, 64 KiB, everything).

import { resolveFolder } from './hsm-session.js';
import { openStore } from '../../../store/index.js';
import { findFolder, setFolderPolicy, type AgeBasis, type HsmFolder, type HsmPolicy } from '../../../../filters/hsm/catalog/folder-policy.js';
import { compileGlob } from '../../../../filters/hsm/policy/glob.js';
import { findTier } from '../../../../filters/hsm/tier/tier-config.js';
import { CliError, UsageError } from '../../cli-error.js';
import type { LeafCommand } from '../../command.js';
import { formatBytes } from '../../progress.js';
import { collect, nonNegativeInteger } from './cli-options.js';

const AGE_BASES: readonly AgeBasis[] = ['access-or-modification', 'modification'];

export const policyCommand: LeafCommand = {
  name: 'policy',
  summary: 'show or set a folder\'s HSM policy (tier, minimum age and size, include/exclude globs)',
  define: (cmd) =>
    cmd
      .argument('<folder>', 'the protected folder')
      .option('--tier <name>', 'the tier cold files go to')
      .option('--min-age <seconds>', 'release files unused for at least this long', nonNegativeInteger('--min-age'))
      .option('--age-basis <basis>', `what age counts from: ${AGE_BASES.join(' or ')}`)
      .option('--min-size <bytes>', 'release only files at least this large', nonNegativeInteger('--min-size'))
      .option('--include <glob>', 'release only matching files (repeatable; replaces the list)', collect)
      .option('--exclude <glob>', 'never release matching files (repeatable; replaces the list)', collect),
  async run(ctx, { args, options }) {
    const folderPath = await resolveFolder(args[0] as string);
    const store = openStore(ctx.dataDir);
    try {
      const changes = checkChanges(store.db, options);
      const current = findFolder(store.db, folderPath);
      if (Object.keys(changes).length === 0) {
        if (current === null) throw new CliError(`folder ${folderPath} has no HSM policy yet; set one with: strata hsm policy ${folderPath} --tier <name>`);
        return { data: current, text: describePolicy(current) };
      }
      if (current === null && changes.tier === undefined) throw new UsageError('a new policy needs --tier <name>');
      const folder = setFolderPolicy(store.db, folderPath, changes);
      return { data: folder, text: describePolicy(folder) };
    } finally {
      store.close();
    }
  },
};

function checkChanges(db: Parameters<typeof findTier>[0], options: Readonly<Record<string, unknown>>): Partial<HsmPolicy> {
  const changes: { -readonly [K in keyof HsmPolicy]?: HsmPolicy[K] } = {};
  if (options.tier !== undefined) {
    if (findTier(db, options.tier as string) === null) throw new CliError(`no tier named '${String(options.tier)}'; add it with: strata tier add ${String(options.tier)} <folder>`);
    changes.tier = options.tier as string;
  }
  if (options.minAge !== undefined) changes.minAgeSeconds = options.minAge as number;
  if (options.minSize !== undefined) changes.minSize = options.minSize as number;
  if (options.ageBasis !== undefined) {
    if (!AGE_BASES.includes(options.ageBasis as AgeBasis)) throw new UsageError(`--age-basis must be ${AGE_BASES.join(' or ')}, got '${String(options.ageBasis)}'`);
    changes.ageBasis = options.ageBasis as AgeBasis;
  }
  for (const key of ['include', 'exclude'] as const) {
    const globs = options[key] as string[] | undefined;
    if (globs === undefined) continue;
    for (const glob of globs) {
      try {
        compileGlob(glob);
      } catch (error) {
        throw new UsageError(`--${key} '${glob}': ${(error as Error).message}`);
      }
    }
    changes[key] = globs;
  }
  return changes;
}

export function describePolicy(folder: HsmFolder): string {
  const { policy } = folder;
  return [
    `Folder:    ${folder.path}`,
    `Tier:      ${policy.tier}`,
    `Min age:   ${policy.minAgeSeconds} s since last ${policy.ageBasis === 'modification' ? 'write' : 'access or write'}`,
    `Min size:  ${formatBytes(policy.minSize)}`,
    `Include:   ${policy.include.join(' ') || '(nothing)'}`,
    `Exclude:   ${policy.exclude.join(' ') || '(nothing)'}`,
  ].join('\n');
}
