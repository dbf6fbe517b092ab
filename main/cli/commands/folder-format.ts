// How protected folders read on a terminal: one line each in a list, a block per folder in `show`.

import { resolve } from 'node:path';
import { PROTECTION_KINDS, type Folder } from '../../api/index.js';

/** A folder named by a path is looked up by its absolute path; an id or name as given. */
export function folderRef(arg: unknown): string {
  const text = String(arg);
  return text.includes('/') || text.includes('\\') || text === '.' ? resolve(text) : text;
}

export function folderLine(folder: Folder): string {
  const protections = PROTECTION_KINDS.filter((kind) => folder.policy[kind] !== undefined)
    .map((kind) => `${kind}${folder.policy[kind]!.enabled ? '' : '(off)'}`)
    .join(',');
  const state = folder.runtime === null ? 'agent not running' : folder.runtime.state;
  return `${folder.name}\t${folder.path}\t${protections || '-'}\t${state}`;
}

export function folderBlock(folder: Folder): string {
  const lines = [`${folder.name}  (${folder.id})`, `  path:     ${folder.path}`, `  added:    ${folder.createdAt}`, `  changed:  ${folder.updatedAt}`];
  for (const kind of PROTECTION_KINDS) {
    const protection = folder.policy[kind];
    if (protection === undefined) continue;
    const runtime = folder.runtime?.protections.find((p) => p.kind === kind);
    const state = runtime === undefined ? (protection.enabled ? 'on' : 'off') : `${runtime.state}${runtime.lock === undefined ? '' : `, ${runtime.lock}`}${runtime.message === null ? '' : ` (${runtime.message})`}`;
    const settings = Object.entries(protection.settings).map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(',') : String(value)}`).join(' ');
    lines.push(`  ${kind.padEnd(6)} ${state}, altitude ${protection.altitude}: ${settings}`);
  }
  if (PROTECTION_KINDS.every((kind) => folder.policy[kind] === undefined)) lines.push('  no protections');
  if (folder.runtime === null) lines.push('  agent:    not running (the policy is stored; start `strata agent` to enforce it)');
  else {
    lines.push(`  state:    ${folder.runtime.state}${folder.runtime.message === null ? '' : ` (${folder.runtime.message})`}`);
    const { pending, done, failed } = folder.runtime.ingest;
    lines.push(`  ingest:   ${done} done, ${pending} pending, ${failed} failed`);
  }
  return lines.join('\n');
}
