// One line per event on a terminal, and the time arguments of `strata events` (an ISO time or an age
// such as 30m, 12h, 7d).

import type { EventRecord } from '../../api/index.js';
import { UsageError } from '../cli-error.js';

export function eventLine(event: EventRecord): string {
  const where = [event.folderName, event.path].filter((part) => part !== null).join(': ');
  return [event.time, event.action, event.result, where || '-', event.detail ?? ''].join('\t').trimEnd();
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
// An event log reaches back years, not millennia; past this an age is a typo (and soon past what a
// date can hold at all).
const MAX_AGE_DAYS = 36_500;
const MAX_AGE_MS = MAX_AGE_DAYS * UNITS.d!;

/** The largest age in each unit: "36500d, 5214w, 876000h, 52560000m, 3153600000s". */
function largestAges(): string {
  return ['d', 'w', 'h', 'm', 's'].map((unit) => `${Math.floor(MAX_AGE_MS / UNITS[unit]!)}${unit}`).join(', ');
}

/** "7d" → the time 7 days ago; an ISO time as is. */
export function timeFlag(value: unknown, flag: string, now = Date.now()): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const age = /^(\d+)([smhdw])$/.exec(text);
  if (age !== null) {
    const ms = Number(age[1]) * UNITS[age[2]!]!;
    if (!(ms <= MAX_AGE_MS)) throw new UsageError(`${flag} takes an age of at most 100 years (${largestAges()}); got '${text}'`);
    return new Date(now - ms).toISOString();
  }
  const time = Date.parse(text);
  if (Number.isNaN(time) || !/^\d{4}-\d{2}-\d{2}/.test(text)) throw new UsageError(`${flag} takes an ISO time (2025-01-31T12:00:00Z) or an age such as 30m, 12h, 7d; got '${text}'`);
  return new Date(time).toISOString();
}
