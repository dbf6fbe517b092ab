// The diff a policy import would apply, as lines a person can review before running it for real.

import type { ImportPolicyResult, PolicyChange } from '../../api/index.js';

const MARK: Record<PolicyChange['op'], string> = { add: '+', remove: '-', change: '~' };

export function formatImport(result: ImportPolicyResult, mode: string): string {
  const lines = result.changes.length === 0 ? ['no changes: the store already matches the document'] : result.changes.map(changeLine);
  for (const warning of result.warnings) lines.push(`warning: ${warning.path}: ${warning.message}`);
  lines.push(result.applied ? `applied (${mode}): ${result.changes.length} change(s)` : `dry run (${mode}): nothing was changed; run without --dry-run to apply`);
  return lines.join('\n');
}

function changeLine(change: PolicyChange): string {
  const subject = `${change.what} ${change.key}`;
  if (change.op === 'change') return `${MARK.change} ${subject} ${change.field}: ${show(change.before)} → ${show(change.after)}`;
  return `${MARK[change.op]} ${subject}`;
}

function show(value: unknown): string {
  return value === null || value === undefined ? '(none)' : JSON.stringify(value);
}
