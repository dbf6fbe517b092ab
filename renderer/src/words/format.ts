// Numbers, times and names as the GUI shows them: sizes in KiB/MiB, relative times, rates, durations,
// and the words for protections, states, event actions and results.

import type { EventAction, EventResult, FolderRuntime, ProtectionKind, ProtectionRuntime } from '../../../main/api/index.js';
import { plainStatusWords } from './status-words.js';

const SIZE_UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${SIZE_UNITS[unit]}`;
}

export function formatCount(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}

/** "just now", "5 minutes ago", "3 days ago"; past times only (the agent never sends future ones). */
export function formatRelativeTime(iso: string, now: number = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 45) return 'just now';
  const steps: Array<[number, string]> = [[60, 'minute'], [3600, 'hour'], [86400, 'day'], [30 * 86400, 'month'], [365 * 86400, 'year']];
  let unit = steps[0]!;
  for (const step of steps) if (seconds >= step[0] * 0.9) unit = step;
  const count = Math.max(1, Math.round(seconds / unit[0]));
  return `${count} ${unit[1]}${count === 1 ? '' : 's'} ago`;
}

// One formatter for every call: building an Intl formatter per call costs more than the formatting.
const DATE_TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });

export function formatDateTime(iso: string): string {
  return DATE_TIME.format(new Date(iso));
}

const TIME = new Intl.DateTimeFormat('en-GB', { timeStyle: 'short' });

/** "14:32" (today's time of an ISO timestamp, as a clock shows it). */
export function formatTime(iso: string): string {
  return TIME.format(new Date(iso));
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'unknown';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export const PROTECTION_NAMES: Record<ProtectionKind, string> = {
  crypt: 'Encryption',
  scan: 'Virus scanning',
  hsm: 'Cold storage',
};

export const PROTECTION_STATE_WORDS: Record<ProtectionRuntime['state'], string> = {
  active: 'on',
  disabled: 'off',
  unavailable: 'not available in this version',
  failed: 'failed',
};

export const FOLDER_STATE_WORDS: Record<FolderRuntime['state'], string> = {
  starting: 'Starting',
  running: 'Protected',
  missing: 'Folder missing',
  failed: 'Protection failed',
  stopped: 'Stopped',
};

export const ACTION_WORDS: Record<EventAction, string> = {
  'agent-started': 'Agent started',
  'agent-stopped': 'Agent stopped',
  'folder-added': 'Folder added',
  'folder-changed': 'Folder changed',
  'folder-removed': 'Folder removed',
  'folder-mounted': 'Folder protection started',
  'folder-unmounted': 'Folder protection stopped',
  'policy-imported': 'Policy imported',
  'tier-changed': 'Cold tier changed',
  'signature-set-changed': 'Signature set changed',
  'media-policy-changed': 'Removable media policy changed',
  ingested: 'File taken in',
  scanned: 'Scanned',
  'threat-found': 'Threat found',
  quarantined: 'Quarantined',
  blocked: 'Blocked',
  migrated: 'Moved to cold storage',
  recalled: 'Brought back from cold storage',
  locked: 'Locked',
  unlocked: 'Unlocked',
  'medium-mounted': 'Removable medium plugged in',
  'medium-removed': 'Removable medium removed',
  'medium-scanned': 'Removable medium scanned',
  'signatures-reloaded': 'Signatures reloaded',
  'job-run': 'Scheduled job ran',
  error: 'Error',
  'folder-scanned': 'Folder scanned',
  restored: 'Restored from quarantine',
  'quarantine-deleted': 'Deleted from quarantine',
  pinned: 'Kept local (pinned)',
  unpinned: 'No longer pinned',
  'protection-paused': 'Protection paused',
  'protection-resumed': 'Protection resumed',
};

export const RESULT_WORDS: Record<EventResult, string> = {
  ok: 'done',
  failed: 'failed',
  refused: 'refused',
  infected: 'infected',
  skipped: 'skipped',
};

/** An event's detail in words: status names as words, byte counts also in KiB/MiB ("65536 bytes" → "64.0 KiB (65,536 bytes)"). */
export function detailInWords(text: string): string {
  return plainStatusWords(text).replace(/\b(\d{4,}) bytes\b/g, (_, digits: string) => {
    const bytes = Number(digits);
    return `${formatBytes(bytes)} (${bytes.toLocaleString('en')} bytes)`;
  });
}
