// One line per event on a terminal, and the time arguments of `strata events` (an ISO time or an age
// such as 30m, 12h, 7d).

import type { EventRecord } from '../../api/index.js';
import { UsageError } from '../cli-error.js';

export function eventLine(event: EventRecord): string {
  const where = [event.folderName, event.path].filter((part) => part !== null).join(': ');
  return [event.time, event.action, event.result, where || '-', event.detail ?? ''].join('\t').trimEnd();
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "7d" → the time 7 days ago; an ISO time as is. */
export function timeFlag(value: unknown, flag: string, now = Date.now()): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const age = /^(\d+)([smhdw])$/.exec(text);
  if (age !== null) return new Date(now - Number(age[1]) * UNITS[age[2]!]!).toISOString();
  const time = Date.parse(text);
  if (Number.isNaN(time) || !/^\d{4}-\d{2}-\d{2}/.test(text)) throw new UsageError(`${flag} takes an ISO time (2025-01-31T12:00:00Z) or an age such as 30m, 12h, 7d; got '${text}'`);
  return new Date(time).toISOString();
}
