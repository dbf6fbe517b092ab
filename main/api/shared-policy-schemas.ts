// The parts of a policy shared by folders: cold tiers (for hsm), signature sets (for scan) and what
// happens when removable media are plugged in.

import { z } from 'zod';
import { AbsolutePath, RefName } from './names.js';
import { BUILTIN_SIGNATURE_SET, ScanSettings } from './policy-schemas.js';

export const Tier = z.strictObject({
  name: RefName,
  /** Where cold copies go: a folder on cheaper storage. */
  path: AbsolutePath,
});
export type Tier = z.infer<typeof Tier>;

export const SignatureSet = z.strictObject({
  name: RefName.refine((n) => n.toLowerCase() !== BUILTIN_SIGNATURE_SET, `"${BUILTIN_SIGNATURE_SET}" is the built-in set; choose another name`),
  /** ClamAV database files (.hdb .hsb .ndb .ldb .cvd .cld) or folders of them. */
  paths: z.array(AbsolutePath).min(1, 'a signature set needs at least one database file or folder').max(100),
});
export type SignatureSet = z.infer<typeof SignatureSet>;

export const MediaPolicy = z.strictObject({
  /** Scan new removable media when they are mounted. */
  scanOnMount: z.boolean().default(true),
  scan: ScanSettings.default(() => ScanSettings.parse({})),
});
export type MediaPolicy = z.infer<typeof MediaPolicy>;

export const DEFAULT_MEDIA_POLICY: MediaPolicy = MediaPolicy.parse({});
