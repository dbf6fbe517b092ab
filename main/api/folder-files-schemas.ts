// A protected folder seen through Strata: a directory listing through its filter stack (plaintext,
// logical sizes; files in cold storage flagged; links, pipes and devices marked as reparse points), its
// cold-storage totals, and the requests that pin, unpin and recall one file.

import { z } from 'zod';
import { FolderRef } from './folder-schemas.js';
import { Timestamp } from './names.js';

/** A path inside a folder, forward slashes, no '..': "" is the folder itself. */
export const FolderRelativePath = z
  .string()
  .max(4096, 'a path has at most 4096 characters')
  .refine((p) => !p.includes('\0'), 'a path cannot contain a NUL character')
  .refine((p) => !p.split(/[\\/]/).includes('..'), "a path inside the folder cannot contain '..'");

export const ListFilesRequest = z.strictObject({ folder: FolderRef.shape.folder, path: FolderRelativePath.default('') });

export const FolderFile = z.strictObject({
  name: z.string(),
  /** Folder-relative, forward slashes. */
  path: z.string(),
  /** A directory, or (with `reparse`) a link to one. */
  directory: z.boolean(),
  /**
   * A reparse point (the reparse-point attribute): on a local volume a symbolic link, named pipe, socket or
   * device. Strata neither follows nor opens it, and its protections leave it alone: it has no size here and
   * takes no action, and a link to a directory is not a folder to go into.
   */
  reparse: z.boolean(),
  /** The size applications see: plaintext, and the whole file for one in cold storage; 0 for a directory or reparse point. */
  size: z.int().min(0),
  /** In cold storage: only a small stub is on the disk (the offline attribute). */
  offline: z.boolean(),
  encrypted: z.boolean(),
  /** Kept local by a pin (on it or on a folder above it). */
  pinned: z.boolean(),
  modifiedAt: Timestamp,
});
export type FolderFile = z.infer<typeof FolderFile>;

export const FolderListing = z.strictObject({ folderId: z.string(), path: z.string(), entries: z.array(FolderFile) });
export type FolderListing = z.infer<typeof FolderListing>;

export const ColdStorageStatus = z.strictObject({
  folderId: z.string(),
  tier: z.string(),
  files: z.int().min(0),
  stubs: z.int().min(0),
  localFiles: z.int().min(0),
  /** On the local disk: whole files plus the stubs themselves. */
  bytesLocal: z.int().min(0),
  /** The real size of the files whose data is in the tier. */
  bytesCold: z.int().min(0),
  /** Folder-relative paths. */
  pinned: z.array(z.string()),
});
export type ColdStorageStatus = z.infer<typeof ColdStorageStatus>;

export const FileRef = z.strictObject({ folder: FolderRef.shape.folder, path: FolderRelativePath.refine((p) => p.replace(/[\\/]/g, '') !== '', 'name a file or folder inside the folder') });

export const PinResult = z.strictObject({ path: z.string(), pinned: z.boolean(), recalled: z.boolean() });
export const RecallResult = z.strictObject({ path: z.string(), recalled: z.boolean(), size: z.int().min(0) });
