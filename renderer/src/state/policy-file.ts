// Policy files as the user hands them over: read with a size limit, parsed with the line and column of
// a syntax error, refused when nested deeper than any policy document, and named by date on export.

import { canonicalJson, type PolicyChange } from '../../../main/api/index.js';
import { POLICY_FILE_MAX_DEPTH, tooDeepAt } from '../../../main/api/json-depth.js';
import { fieldLabel } from '../words/field-labels.js';

/** The agent takes request bodies up to 1 MiB; the document travels inside one. */
export const MAX_POLICY_FILE_BYTES = 1024 * 1024 - 4096;

export type ParsedPolicyFile = { ok: true; document: unknown } | { ok: false; message: string };

export function parsePolicyFile(text: string, fileName: string): ParsedPolicyFile {
  try {
    const document = JSON.parse(text) as unknown;
    const tooDeep = tooDeepAt(document, POLICY_FILE_MAX_DEPTH);
    if (tooDeep !== null) return { ok: false, message: `${fileName} is not a policy file: nested deeper than ${POLICY_FILE_MAX_DEPTH} at ${tooDeep}` };
    return { ok: true, document };
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
    field: change.field === null ? null : changedFieldLabel(change.what, change.field),
    before: truncated(valueInWords(change.what, change.field, change.before)),
    after: truncated(valueInWords(change.what, change.field, change.after)),
  };
}

/** A field's name depends on the item: "$.path" is a folder's path, or where a tier keeps its copies. */
function changedFieldLabel(what: PolicyChange['what'], field: string): string {
  if (what === 'tier' && field === '$.path') return 'Folder for cold copies';
  if (what === 'signature-set' && /^\$\.paths/.test(field)) return 'Database files';
  if (what === 'media') return fieldLabel(field.replace(/^\$\.scan\./, '$.scan.')).replace(/^Scanning:/, 'Removable media:');
  return fieldLabel(field);
}

const PROTECTION_WORDS: Record<string, string> = { crypt: 'encryption', scan: 'virus scanning', hsm: 'cold storage' };

/** A whole added or removed item reads as its gist (a folder's name and protections); fields as values. */
function valueInWords(what: PolicyChange['what'], field: string | null, value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (field === null && typeof value === 'object') {
    const item = value as { name?: string; path?: string; paths?: string[]; policy?: Record<string, { enabled?: boolean }> };
    if (what === 'folder' && item.policy !== undefined) {
      const on = Object.entries(item.policy).filter(([, p]) => p?.enabled !== false).map(([kind]) => PROTECTION_WORDS[kind] ?? kind);
      return `${item.name ?? ''}: ${on.length === 0 ? 'no protection' : on.join(', ')}`;
    }
    if (what === 'tier' && item.path !== undefined) return item.path;
    if (what === 'signature-set' && item.paths !== undefined) return item.paths.join(', ');
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return canonicalJson(value);
}

function truncated(text: string): string {
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
