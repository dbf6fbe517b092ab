// Messages of the agent's WebSocket event stream: a greeting, each logged event as it is recorded,
// progress of long jobs (ingest, media scans, migrations) and folder state changes.

import { z } from 'zod';
import { EventRecord } from './event-schemas.js';
import { Folder } from './folder-schemas.js';
import { Timestamp } from './names.js';

export const JobKind = z.enum(['ingest', 'media-scan', 'migration', 'signature-reload', 'auto-lock', 'rescan', 'folder-scan']);
export type JobKind = z.infer<typeof JobKind>;

export const JobProgress = z.strictObject({
  id: z.string(),
  kind: JobKind,
  folderId: z.string().nullable(),
  label: z.string(),
  done: z.int().min(0),
  /** Unknown while work is still arriving (a file storm). */
  total: z.int().min(0).nullable(),
  failed: z.int().min(0),
  /** Bytes processed so far, for work measured in bytes as well as files (a folder scan). */
  bytes: z.int().min(0).optional(),
  finished: z.boolean(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const StreamMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('hello'), agentVersion: z.string(), time: Timestamp, lastEventId: z.int().min(0) }),
  z.strictObject({ type: z.literal('event'), event: EventRecord }),
  z.strictObject({ type: z.literal('progress'), job: JobProgress }),
  z.strictObject({ type: z.literal('folder'), folder: Folder }),
  z.strictObject({ type: z.literal('folder-removed'), id: z.string() }),
]);
export type StreamMessage = z.infer<typeof StreamMessage>;
