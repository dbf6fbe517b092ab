// The event log in SQLite: every security-relevant action with time, folder, path, action and result.
// Appends are cheap single-row inserts; listeners (the WebSocket stream) hear of an event only once it
// is committed, so a rolled-back change never shows up as "done".

import type { Database } from 'better-sqlite3';
import type { z } from 'zod';
import { EventQuery, EventRecord, type EventAction, type EventPage, type EventResult } from '../../api/index.js';

export interface NewEvent {
  folderId?: string | null;
  folderName?: string | null;
  path?: string | null;
  action: EventAction;
  result: EventResult;
  detail?: string | null;
  /** Default: now. */
  time?: Date;
}

interface EventRow {
  id: number;
  time_ms: number;
  folder_id: string | null;
  folder_name: string | null;
  path: string | null;
  action: string;
  result: string;
  detail: string | null;
}

/** The query after defaults, with the folder already resolved to what rows store (id or name). */
export type ResolvedEventQuery = z.output<typeof EventQuery>;

export type EventListener = (event: EventRecord) => void;

export class EventLog {
  private readonly listeners = new Set<EventListener>();
  private readonly insert;

  constructor(private readonly db: Database) {
    this.insert = db.prepare(
      'INSERT INTO agent_events (time_ms, folder_id, folder_name, path, action, result, detail) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *',
    );
  }

  /** Inserts without telling listeners: for use inside a transaction, then `publish` after commit. */
  append(event: NewEvent): EventRecord {
    const row = this.insert.get(
      (event.time ?? new Date()).getTime(),
      event.folderId ?? null,
      event.folderName ?? null,
      event.path ?? null,
      event.action,
      event.result,
      event.detail ?? null,
    ) as EventRow;
    return toRecord(row);
  }

  publish(events: readonly EventRecord[]): void {
    for (const event of events) for (const listener of this.listeners) listener(event);
  }

  /** Appends and publishes at once (outside any transaction). */
  record(event: NewEvent): EventRecord {
    const record = this.append(event);
    this.publish([record]);
    return record;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  lastId(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM agent_events').get() as { id: number }).id;
  }

  /** Newest first, paged with `before`; or, with `after`, what came since, oldest first. */
  query(query: ResolvedEventQuery): EventPage {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.folder !== undefined) {
      where.push('(folder_id = ? OR folder_name = ? COLLATE NOCASE)');
      params.push(query.folder, query.folder);
    }
    addIn(where, params, 'action', query.actions);
    addIn(where, params, 'result', query.results);
    if (query.since !== undefined) {
      where.push('time_ms >= ?');
      params.push(Date.parse(query.since));
    }
    if (query.until !== undefined) {
      where.push('time_ms < ?');
      params.push(Date.parse(query.until));
    }
    if (query.search !== undefined) {
      const pattern = `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push("(path LIKE ? ESCAPE '\\' OR detail LIKE ? ESCAPE '\\')");
      params.push(pattern, pattern);
    }
    const following = query.after !== undefined;
    if (following) {
      where.push('id > ?');
      params.push(query.after);
    } else if (query.before !== undefined) {
      where.push('id < ?');
      params.push(query.before);
    }
    const sql = `SELECT * FROM agent_events ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id ${following ? 'ASC' : 'DESC'} LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, query.limit + 1) as EventRow[];
    const more = rows.length > query.limit;
    const events = rows.slice(0, query.limit).map(toRecord);
    return { events, nextBefore: more && !following ? events[events.length - 1]!.id : null };
  }

  /** Deletes events strictly older than `olderThan`; returns how many went. */
  prune(olderThan: Date): number {
    return this.db.prepare('DELETE FROM agent_events WHERE time_ms < ?').run(olderThan.getTime()).changes;
  }
}

function addIn(where: string[], params: unknown[], column: string, values: readonly string[] | undefined): void {
  if (values === undefined) return;
  if (values.length === 0) {
    where.push('0');
    return;
  }
  where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
  params.push(...values);
}

function toRecord(row: EventRow): EventRecord {
  return EventRecord.parse({
    id: row.id,
    time: new Date(row.time_ms).toISOString(),
    folderId: row.folder_id,
    folderName: row.folder_name,
    path: row.path,
    action: row.action,
    result: row.result,
    detail: row.detail,
  });
}
