// A protected folder's policy: which protections are on, their settings and their altitudes. The
// stored shape (every field present) and the input shape (defaults filled in) come from one schema.

import { z } from 'zod';
import { Altitude, Glob, RefName } from './names.js';

export const ProtectionKind = z.enum(['crypt', 'scan', 'hsm']);
export type ProtectionKind = z.infer<typeof ProtectionKind>;
export const PROTECTION_KINDS: readonly ProtectionKind[] = ProtectionKind.options;

/** The signature set every build has: EICAR and Strata's own test signatures. */
export const BUILTIN_SIGNATURE_SET = 'builtin';

export const CryptSettings = z.strictObject({
  /** The vault the folder is encrypted to (its reference, never a key or passphrase). */
  vault: RefName,
  /** Lock the vault after this many idle minutes; 0 keeps it unlocked until locked by hand. */
  autoLockMinutes: z.number().min(0).max(10080).default(15),
});
export type CryptSettings = z.infer<typeof CryptSettings>;

export const ScanAction = z.enum(['quarantine', 'block', 'report']);
export type ScanAction = z.infer<typeof ScanAction>;

export const ScanSettings = z.strictObject({
  /** A signature set by name (see PolicyDocument.signatureSets), or "builtin". */
  signatureSet: RefName.default(BUILTIN_SIGNATURE_SET),
  /** Scan a file when it is opened, not only when it is written. */
  scanOnOpen: z.boolean().default(true),
  /** What happens to an infected file: moved to quarantine, access refused, or only reported. */
  action: ScanAction.default('quarantine'),
});
export type ScanSettings = z.infer<typeof ScanSettings>;

export const HsmSettings = z.strictObject({
  /** The cold tier by name (see PolicyDocument.tiers). */
  tier: RefName,
  /** Files untouched for at least this many days are candidates. */
  minAgeDays: z.number().min(0).max(36500).default(30),
  /** Files of at least this many bytes are candidates (small files are not worth a stub). */
  minSizeBytes: z.int().min(0).max(Number.MAX_SAFE_INTEGER).default(1024 * 1024),
  include: z.array(Glob).max(100).default(['**']),
  exclude: z.array(Glob).max(100).default([]),
  /** Migration runs every this many minutes (with jitter). */
  everyMinutes: z.int().min(1).max(10080).default(60),
});
export type HsmSettings = z.infer<typeof HsmSettings>;

export const SETTINGS_SCHEMAS = { crypt: CryptSettings, scan: ScanSettings, hsm: HsmSettings } as const;
export type SettingsOf<K extends ProtectionKind> = z.infer<(typeof SETTINGS_SCHEMAS)[K]>;

function protection<S extends z.ZodType>(settings: S) {
  return z.strictObject({ enabled: z.boolean(), altitude: Altitude, settings });
}
function protectionInput<S extends z.ZodType>(settings: S) {
  return z.strictObject({
    enabled: z.boolean().default(true),
    /** Omitted: the filter's own default altitude. */
    altitude: Altitude.optional(),
    settings,
  });
}

/** A stored policy: each protection present is complete. */
export const FolderPolicy = z.strictObject({
  crypt: protection(CryptSettings).optional(),
  scan: protection(ScanSettings).optional(),
  hsm: protection(HsmSettings).optional(),
});
export type FolderPolicy = z.infer<typeof FolderPolicy>;
export type Protection<K extends ProtectionKind> = NonNullable<FolderPolicy[K]>;

/** A policy as a client writes it: enabled defaults to true, altitude to the filter's. */
export const FolderPolicyInput = z.strictObject({
  crypt: protectionInput(CryptSettings).optional(),
  scan: protectionInput(ScanSettings).optional(),
  hsm: protectionInput(HsmSettings).optional(),
});
export type FolderPolicyInput = z.infer<typeof FolderPolicyInput>;

/** The kinds whose protection is present and enabled, in a fixed order. */
export function enabledKinds(policy: FolderPolicy | FolderPolicyInput): ProtectionKind[] {
  return PROTECTION_KINDS.filter((kind) => policy[kind]?.enabled === true);
}
