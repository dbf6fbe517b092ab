// The names a user sees for the fields an API request or a policy file can get wrong, keyed by the
// JSON path the agent reports ("$.policy.scan.settings.action" → "Scan: action on a threat").

const LABELS: Array<[RegExp, string]> = [
  [/^\$\.path$/, 'Folder path'],
  [/^\$\.name$/, 'Name'],
  [/^\$\.folder$/, 'Folder'],
  [/\.policy\.crypt\.settings\.vault$/, 'Encryption: vault name'],
  [/\.policy\.crypt\.settings\.autoLockMinutes$/, 'Encryption: lock after idle minutes'],
  [/\.policy\.scan\.settings\.signatureSet$/, 'Scanning: signature set'],
  [/\.policy\.scan\.settings\.scanOnOpen$/, 'Scanning: scan when opened'],
  [/\.policy\.scan\.settings\.action$/, 'Scanning: action on a threat'],
  [/\.policy\.hsm\.settings\.tier$/, 'Cold storage: tier'],
  [/\.policy\.hsm\.settings\.minAgeDays$/, 'Cold storage: minimum age in days'],
  [/\.policy\.hsm\.settings\.minSizeBytes$/, 'Cold storage: minimum size'],
  [/\.policy\.hsm\.settings\.include(\[\d+\])?$/, 'Cold storage: include patterns'],
  [/\.policy\.hsm\.settings\.exclude(\[\d+\])?$/, 'Cold storage: exclude patterns'],
  [/\.policy\.hsm\.settings\.everyMinutes$/, 'Cold storage: run every minutes'],
  [/\.policy\.(crypt|scan|hsm)\.altitude$/, 'Altitude'],
  [/\.policy\.crypt(\.enabled)?$/, 'Encryption'],
  [/\.policy\.scan(\.enabled)?$/, 'Virus scanning'],
  [/\.policy\.hsm(\.enabled)?$/, 'Cold storage'],
  [/^\$\.paths(\[\d+\])?$/, 'Database files'],
  [/^\$\.scanOnMount$/, 'Scan removable media when plugged in'],
  [/^\$\.scan\.action$/, 'Removable media: action on a threat'],
  [/^\$\.scan\.signatureSet$/, 'Removable media: signature set'],
];

export function fieldLabel(path: string): string {
  for (const [pattern, label] of LABELS) if (pattern.test(path)) return label;
  return pathInWords(path);
}

/** "$.folders[2].policy.scan" → "folders › 3 › policy › scan" (positions counted from 1, as people do). */
export function pathInWords(path: string): string {
  const parts = [...path.replace(/^\$/, '').matchAll(/\.([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)].map((m) =>
    m[1] ?? (m[2] !== undefined ? String(Number(m[2]) + 1) : (m[3] ?? '')));
  return parts.length === 0 ? 'the whole document' : parts.join(' › ');
}
