// Policy files as the user hands them over: read with a size limit, parsed with the line and column of
// a syntax error, and named by date on export.

import { canonicalJson, type PolicyChange } from '../../../main/api/index.js';
import { fieldLabel } from '../words/field-labels.js';

/** The agent takes request bodies up to 1 MiB; the document travels inside one. */
export const MAX_POLICY_FILE_BYTES = 1024 * 1024 - 4096;

export type ParsedPolicyFile = { ok: true; document: unknown } | { ok: false; message: string };

export function parsePolicyFile(text: string, fileName: string): ParsedPolicyFile {
  try {
    return { ok: true, document: JSON.parse(text) as unknown };
  } catch (error) {
    const where = syntaxErrorPlace(text, (error as Error).message);
    return { ok: false, message: `${fileName} is not valid JSON${where}: ${(error as Error).message.replace(/ in JSON at position \d+.*$/, '')}` };
  }
}

function syntaxErrorPlace(text: string, message: string): string {
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lineColumn) return ` at line ${lineColumn[1]}, column ${lineColumn[2]}`;
  const position = /at position (\d+)/.exec(message);
  if (!position) return text.trim() === '' ? ' (the file is empty)' : '';
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  return ` at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
}

export function exportFileName(now: Date): string {
  return `strata-policy-${now.toISOString().slice(0, 10)}.json`;
}

const WHAT_WORDS: Record<PolicyChange['what'], string> = { folder: 'folder', tier: 'cold tier', 'signature-set': 'signature set', media: 'removable media policy' };
const OP_WORDS: Record<PolicyChange['op'], string> = { add: 'Add', remove: 'Remove', change: 'Change' };

/** One diff line in words: "Change folder /home/me/Docs — Scanning: action on a threat". */
export function describeChange(change: PolicyChange): { summary: string; field: string | null; before: string; after: string } {
  const item = change.what === 'media' ? WHAT_WORDS.media : `${WHAT_WORDS[change.what]} ${change.key}`;
  return {
    summary: `${OP_WORDS[change.op]} ${item}`,
    field: change.field === null ? null : fieldLabel(change.field),
    before: valueInWords(change.before),
    after: valueInWords(change.after),
  };
}

function valueInWords(value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'string') return value;
  const text = canonicalJson(value);
  return text.length > 300 ? `${text.slice(0, 297)}…` : text;
}
