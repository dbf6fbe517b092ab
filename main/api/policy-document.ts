// The policy file: a versioned JSON document with every protected folder, tier, signature set and the
// media policy (never a secret: vaults appear by reference only), optionally signed with Ed25519.

import { z } from 'zod';
import { base64OfLength } from './base64.js';
import { AbsolutePath, DisplayName, Timestamp } from './names.js';
import { FolderPolicy } from './policy-schemas.js';
import { MediaPolicy, SignatureSet, Tier } from './shared-policy-schemas.js';
import { policyProblems } from './policy-consistency.js';
import { TrustedKeyFile, VerifiedSignature } from './policy-verify-key.js';

export const POLICY_FORMAT = 'strata-policy';
export const POLICY_VERSION = 1;

export const PolicyFolder = z.strictObject({ name: DisplayName, path: AbsolutePath, policy: FolderPolicy });
export type PolicyFolder = z.infer<typeof PolicyFolder>;

export const PolicySignature = z.strictObject({
  algorithm: z.literal('ed25519', { error: 'the only signature algorithm is "ed25519"' }),
  /** The signer's public key, for display; verification uses the key the user trusts, never this one. */
  publicKey: base64OfLength(32, 'the public key'),
  /** Ed25519 signature of the canonical JSON of the document without this field. */
  value: base64OfLength(64, 'the signature'),
});
export type PolicySignature = z.infer<typeof PolicySignature>;

const PolicyDocumentShape = z.strictObject({
  format: z.literal(POLICY_FORMAT, { error: `not a Strata policy file (format must be "${POLICY_FORMAT}")` }),
  version: z.literal(POLICY_VERSION, { error: `this Strata reads policy files of version ${POLICY_VERSION}` }),
  exportedAt: Timestamp,
  folders: z.array(PolicyFolder).max(10000),
  tiers: z.array(Tier).max(1000),
  signatureSets: z.array(SignatureSet).max(1000),
  media: MediaPolicy,
  signature: PolicySignature.optional(),
});

export const PolicyDocument = PolicyDocumentShape.superRefine((doc, ctx) => {
  for (const problem of policyProblems(doc)) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
});
export type PolicyDocument = z.infer<typeof PolicyDocument>;
export type UnsignedPolicyDocument = Omit<PolicyDocument, 'signature'>;

export const ImportMode = z.enum(['merge', 'replace']);
export type ImportMode = z.infer<typeof ImportMode>;

export const ImportPolicyRequest = z.strictObject({
  /** Validated on its own, so problems are reported at the document's own JSON paths. */
  document: z.unknown(),
  /** merge: add and update what the document names, keep the rest; replace: the store becomes the document. */
  mode: ImportMode.default('merge'),
  dryRun: z.boolean().default(false),
  /**
   * The public key file the user trusts: the document must carry a signature that verifies with it (never
   * with the key the document names), or nothing is checked further and nothing is applied.
   */
  verifyWith: TrustedKeyFile.optional(),
});
export type ImportPolicyRequest = z.input<typeof ImportPolicyRequest>;

export const PolicyChange = z.strictObject({
  op: z.enum(['add', 'remove', 'change']),
  what: z.enum(['folder', 'tier', 'signature-set', 'media']),
  /** The folder's path, the tier's or set's name, or "media". */
  key: z.string(),
  /** JSON path inside the item for a change ("$.policy.scan.action"), null for add and remove. */
  field: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});
export type PolicyChange = z.infer<typeof PolicyChange>;

export const ImportPolicyResult = z.strictObject({
  applied: z.boolean(),
  changes: z.array(PolicyChange),
  /** Things worth knowing that do not stop the import (a folder path missing on this machine). */
  warnings: z.array(z.strictObject({ path: z.string(), message: z.string() })),
  /** Present when the request asked for a signature check (verifyWith) and it passed. */
  verifiedWith: VerifiedSignature.optional(),
});
export type ImportPolicyResult = z.infer<typeof ImportPolicyResult>;
