// The event log: one record per security-relevant action (time, folder, path, action, result), the
// query that pages through it and the prune that trims it.

import { z } from 'zod';
import { Timestamp } from './names.js';

export const EventAction = z.enum([
  'agent-started', 'agent-stopped',
  'folder-added', 'folder-changed', 'folder-removed', 'folder-mounted', 'folder-unmounted',
  'policy-imported', 'tier-changed', 'signature-set-changed', 'media-policy-changed',
  'ingested', 'scanned', 'threat-found', 'quarantined', 'blocked',
  'migrated', 'recalled', 'locked', 'unlocked',
  'medium-mounted', 'medium-removed', 'medium-scanned',
  'signatures-reloaded', 'job-run', 'error',
  'folder-scanned', 'restored', 'quarantine-deleted', 'pinned', 'unpinned', 'protection-paused', 'protection-resumed',
]);
export type EventAction = z.infer<typeof EventAction>;

export const EventResult = z.enum(['ok', 'failed', 'refused', 'infected', 'skipped']);
export type EventResult = z.infer<typeof EventResult>;

export const EventRecord = z.strictObject({
  id: z.int().min(1),
  time: Timestamp,
  folderId: z.string().nullable(),
  folderName: z.string().nullable(),
  /** Folder-relative path of the file concerned, if any. */
  path: z.string().nullable(),
  action: EventAction,
  result: EventResult,
  detail: z.string().nullable(),
});
export type EventRecord = z.infer<typeof EventRecord>;

export const EventQuery = z.strictObject({
  /** Folder id, name or path. */
  folder: z.string().min(1).optional(),
  actions: z.array(EventAction).max(EventAction.options.length).optional(),
  results: z.array(EventResult).max(EventResult.options.length).optional(),
  since: Timestamp.optional(),
  until: Timestamp.optional(),
  /** Substring of the path or detail (case-insensitive). */
  search: z.string().min(1).max(200).optional(),
  limit: z.int().min(1).max(1000).default(100),
  /** Paging backwards: events older than this id (from nextBefore). */
  before: z.int().min(1).optional(),
  /** Following: events newer than this id, oldest first. */
  after: z.int().min(0).optional(),
});
export type EventQuery = z.input<typeof EventQuery>;

export const EventPage = z.strictObject({
  events: z.array(EventRecord),
  /** Pass as `before` for the next (older) page; null at the end. */
  nextBefore: z.int().nullable(),
});
export type EventPage = z.infer<typeof EventPage>;

export const PruneEventsRequest = z.strictObject({ olderThan: Timestamp });
export const PruneEventsResult = z.strictObject({ deleted: z.int().min(0) });
