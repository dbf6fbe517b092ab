// On-demand scans of a protected folder: start one, follow it (its progress also travels on the event
// stream as a 'folder-scan' job), cancel it, and read what it found.

import { z } from 'zod';
import { FolderRef } from './folder-schemas.js';
import { Timestamp } from './names.js';

export const ScanReport = z.strictObject({
  /** Also the id of its job on the event stream. */
  id: z.string(),
  folderId: z.string(),
  folderName: z.string(),
  state: z.enum(['running', 'finished', 'cancelled', 'failed']),
  startedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
  files: z.int().min(0),
  /** Plaintext bytes read (what applications see). */
  bytes: z.int().min(0),
  bytesPerSecond: z.number().min(0),
  infected: z.array(z.strictObject({ path: z.string(), signature: z.string() })),
  /** Files in cold storage (stubs) left alone, so a scan never recalls everything. */
  skippedOffline: z.int().min(0),
  errors: z.int().min(0),
  /** Why it failed, in words. */
  message: z.string().nullable(),
});
export type ScanReport = z.infer<typeof ScanReport>;

export const StartScanRequest = FolderRef;
export const ScanRef = z.strictObject({ id: z.string().min(1, 'name a scan by its id') });
export const ScanList = z.strictObject({ scans: z.array(ScanReport) });
