// The quarantine as the API shows it: what the scan filter took out of a protected folder (encrypted in
// the agent's data dir), and the requests that restore or delete an item. Restoring puts infected content
// back, so the request must say in so many words that the caller knows.

import { z } from 'zod';
import { AbsolutePath, Timestamp } from './names.js';

/** A quarantine id: 16 hex digits (a unique prefix of at least 4 is accepted too). */
export const QuarantineId = z.string().regex(/^[0-9a-fA-F]{4,16}$/, 'a quarantine id is 4 to 16 hex digits');

export const QuarantineItem = z.strictObject({
  id: z.string(),
  /** Where the file was when it was taken (a host path). */
  originPath: z.string(),
  /** The protected folder it came from, when it still is one; null otherwise. */
  folderId: z.string().nullable(),
  folderName: z.string().nullable(),
  /** Folder-relative path (forward slashes), when the folder is known. */
  path: z.string().nullable(),
  signature: z.string(),
  detectedAt: Timestamp,
  /** Bytes of the original content. */
  size: z.int().min(0),
  /** How it was found: on write, on open, at cleanup, in a medium or folder scan. */
  foundBy: z.string(),
});
export type QuarantineItem = z.infer<typeof QuarantineItem>;

export const QuarantineList = z.strictObject({ items: z.array(QuarantineItem) });

export const QuarantineRef = z.strictObject({ id: QuarantineId });

export const RestoreQuarantinedRequest = z.strictObject({
  id: QuarantineId,
  /** Replace a file that now exists where the original was. */
  overwrite: z.boolean().default(false),
  /** The content is infected: the caller must say it knows. */
  acknowledgeInfected: z.literal(true, { error: 'restoring puts infected content back; confirm that you know it is infected' }),
});
export type RestoreQuarantinedRequest = z.input<typeof RestoreQuarantinedRequest>;

export const RestoreQuarantinedResult = z.strictObject({
  item: QuarantineItem,
  restoredTo: AbsolutePath,
  /** Restored into a protected folder through its stack (encrypted if the folder is), and allowed there. */
  throughFolder: z.boolean(),
});
