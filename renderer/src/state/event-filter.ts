// The event log's filter as the GUI holds it, the query it becomes, and whether a live event matches
// it (the same rules the agent applies in SQL, so live rows and loaded rows agree).

import type { EventAction, EventQuery, EventRecord, EventResult } from '../../../main/api/index.js';

export interface EventFilter {
  /** A folder id, or a removed folder's name. */
  folder?: string;
  actions?: readonly EventAction[];
  results?: readonly EventResult[];
  search?: string;
}

export function queryOf(filter: EventFilter, page: { before?: number; limit?: number } = {}): EventQuery {
  const search = filter.search?.trim();
  return {
    ...(filter.folder ? { folder: filter.folder } : {}),
    ...(filter.actions && filter.actions.length > 0 ? { actions: [...filter.actions] } : {}),
    ...(filter.results && filter.results.length > 0 ? { results: [...filter.results] } : {}),
    ...(search ? { search: search.slice(0, 200) } : {}),
    limit: page.limit ?? 100,
    ...(page.before !== undefined ? { before: page.before } : {}),
  };
}

export function eventMatches(filter: EventFilter, event: EventRecord): boolean {
  if (filter.folder) {
    const folder = filter.folder.toLowerCase();
    if (event.folderId !== filter.folder && event.folderName?.toLowerCase() !== folder) return false;
  }
  if (filter.actions && filter.actions.length > 0 && !filter.actions.includes(event.action)) return false;
  if (filter.results && filter.results.length > 0 && !filter.results.includes(event.result)) return false;
  const search = filter.search?.trim().toLowerCase();
  if (search) {
    const inPath = event.path?.toLowerCase().includes(search) ?? false;
    const inDetail = event.detail?.toLowerCase().includes(search) ?? false;
    if (!inPath && !inDetail) return false;
  }
  return true;
}

/** Adds live events to the newest-first list, once each. */
export function mergeNewer(events: readonly EventRecord[], incoming: readonly EventRecord[]): EventRecord[] {
  const known = new Set(events.map((e) => e.id));
  const fresh = incoming.filter((e) => !known.has(e.id));
  return [...fresh, ...events].sort((a, b) => b.id - a.id);
}
