// The protection flags of `strata folder add`: --encrypt/--vault, --scan/..., --tier/..., --altitude, each
// turned into the API's policy input (the API checks ranges and references and names the field).

import type { Command } from 'commander';
import { PROTECTION_KINDS, type FolderPolicyInput, type ProtectionKind } from '../../api/index.js';
import { UsageError } from '../cli-error.js';
import { integerFlag, numberFlag } from './agent-session.js';

export function defineProtectionFlags(cmd: Command): void {
  cmd
    .option('--encrypt', 'encrypt the folder at rest (needs --vault)')
    .option('--vault <name>', 'the vault the folder is encrypted to')
    .option('--auto-lock <minutes>', 'lock the vault after this many idle minutes (0: never)')
    .option('--scan', 'scan files for viruses')
    .option('--signatures <set>', "signature set to scan with (default 'builtin')")
    .option('--scan-action <action>', 'quarantine | block | report (default quarantine)')
    .option('--no-scan-on-open', 'scan only on write, not when a file is opened')
    .option('--tier <name>', 'move cold files to this tier (HSM)')
    .option('--min-age <days>', 'HSM: files untouched this many days (default 30)')
    .option('--min-size <bytes>', 'HSM: files of at least this size (default 1 MiB)')
    .option('--include <glob...>', 'HSM: only files matching these globs')
    .option('--exclude <glob...>', 'HSM: never files matching these globs')
    .option('--every <minutes>', 'HSM: run migration this often (default 60)')
    .option('--altitude <kind=altitude...>', 'place a protection at another altitude, e.g. scan=328000');
}

export function policyFromFlags(options: Readonly<Record<string, unknown>>): FolderPolicyInput {
  const altitudes = parseAltitudes(options.altitude);
  const policy: FolderPolicyInput = {};
  const base = (kind: ProtectionKind) => ({ enabled: true, ...(altitudes[kind] === undefined ? {} : { altitude: altitudes[kind] }) });
  if (options.vault !== undefined && options.encrypt !== true) throw new UsageError('--vault goes with --encrypt');
  if (options.encrypt === true) {
    if (typeof options.vault !== 'string') throw new UsageError('--encrypt needs --vault <name>');
    policy.crypt = { ...base('crypt'), settings: defined({ vault: options.vault, autoLockMinutes: integerFlag(options.autoLock, '--auto-lock') }) as never };
  }
  if (options.scan === true) {
    policy.scan = { ...base('scan'), settings: defined({ signatureSet: options.signatures, action: options.scanAction, scanOnOpen: options.scanOnOpen === false ? false : undefined }) as never };
  }
  if (options.tier !== undefined) {
    policy.hsm = {
      ...base('hsm'),
      settings: defined({
        tier: options.tier,
        minAgeDays: numberFlag(options.minAge, '--min-age'),
        minSizeBytes: integerFlag(options.minSize, '--min-size'),
        include: options.include,
        exclude: options.exclude,
        everyMinutes: integerFlag(options.every, '--every'),
      }) as never,
    };
  }
  for (const kind of Object.keys(altitudes) as ProtectionKind[]) {
    if (policy[kind] === undefined) throw new UsageError(`--altitude ${kind}=... names a protection that is not enabled`);
  }
  return policy;
}

function parseAltitudes(value: unknown): Partial<Record<ProtectionKind, string>> {
  const result: Partial<Record<ProtectionKind, string>> = {};
  for (const item of (value as string[] | undefined) ?? []) {
    const match = /^(\w+)=(.+)$/.exec(item);
    if (match === null || !PROTECTION_KINDS.includes(match[1] as ProtectionKind)) throw new UsageError(`--altitude takes kind=altitude with kind one of ${PROTECTION_KINDS.join(', ')}, got '${item}'`);
    result[match[1] as ProtectionKind] = match[2]!;
  }
  return result;
}

function defined(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
