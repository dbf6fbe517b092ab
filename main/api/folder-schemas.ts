// Protected folders as the API shows them: the stored record, its live state in a running agent, and the
// requests that add, change and remove one.

import { z } from 'zod';
import { AbsolutePath, DisplayName, Timestamp } from './names.js';
import { FolderPolicy, FolderPolicyInput, ProtectionKind } from './policy-schemas.js';

export const ProtectionRuntime = z.strictObject({
  kind: ProtectionKind,
  /** active: its minifilter is attached; disabled: off in the policy; unavailable: not in this build. */
  state: z.enum(['active', 'disabled', 'unavailable', 'failed']),
  altitude: z.string(),
  message: z.string().nullable(),
  /** For a protection with a key (crypt): whether the agent holds it now. */
  lock: z.enum(['locked', 'unlocked']).optional(),
});
export type ProtectionRuntime = z.infer<typeof ProtectionRuntime>;

export const IngestCounters = z.strictObject({
  pending: z.int().min(0),
  done: z.int().min(0),
  failed: z.int().min(0),
});
export type IngestCounters = z.infer<typeof IngestCounters>;

/** What a running agent is doing with the folder; null when no agent runs. */
export const FolderRuntime = z.strictObject({
  state: z.enum(['starting', 'running', 'missing', 'failed', 'stopped']),
  message: z.string().nullable(),
  protections: z.array(ProtectionRuntime),
  ingest: IngestCounters,
});
export type FolderRuntime = z.infer<typeof FolderRuntime>;

export const Folder = z.strictObject({
  id: z.string(),
  name: DisplayName,
  path: AbsolutePath,
  policy: FolderPolicy,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  runtime: FolderRuntime.nullable(),
});
export type Folder = z.infer<typeof Folder>;

/** A folder named by id, name or path. */
export const FolderRef = z.strictObject({ folder: z.string().min(1, 'name a folder by its id, name or path') });
export type FolderRef = z.infer<typeof FolderRef>;

export const AddFolderRequest = z.strictObject({
  path: AbsolutePath,
  /** Defaults to the folder's base name. */
  name: DisplayName.optional(),
  policy: FolderPolicyInput.default({}),
});
export type AddFolderRequest = z.input<typeof AddFolderRequest>;

/** Renames a folder and/or replaces its policy (the whole policy: protections left out are removed). */
export const UpdateFolderRequest = z.strictObject({
  folder: FolderRef.shape.folder,
  name: DisplayName.optional(),
  policy: FolderPolicyInput.optional(),
});
export type UpdateFolderRequest = z.input<typeof UpdateFolderRequest>;

export const FolderList = z.strictObject({ folders: z.array(Folder) });

/** A vault passphrase: it travels only to the agent on loopback, is never stored and never logged. */
export const Passphrase = z.string().min(1, 'the passphrase is empty').max(1024, 'a passphrase has at most 1024 characters');

export const UnlockFolderRequest = z.strictObject({ folder: FolderRef.shape.folder, passphrase: Passphrase });
export const CreateVaultRequest = z.strictObject({
  folder: FolderRef.shape.folder,
  passphrase: Passphrase.refine((p) => p.length >= 8, 'choose a passphrase of at least 8 characters'),
});
