// Rules that tie a whole policy together, beyond each field's own shape: unique folder names and paths,
// no folder inside another, references to tiers and signature sets that exist, distinct altitudes per
// folder. Used on policy files and again on the state an import or a change would produce.

import { BUILTIN_SIGNATURE_SET, PROTECTION_KINDS, type FolderPolicy } from './policy-schemas.js';

export interface PolicyState {
  folders: ReadonlyArray<{ name: string; path: string; policy: FolderPolicy }>;
  tiers: ReadonlyArray<{ name: string }>;
  signatureSets: ReadonlyArray<{ name: string }>;
  media: { scan: { signatureSet: string } };
}

export interface PolicyProblem {
  path: PropertyKey[];
  message: string;
  /** The other item involved (the first of two duplicates, the outer of two nested folders). */
  other?: PropertyKey[];
}

export function policyProblems(state: PolicyState): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const { folders, tiers, signatureSets } = state;
  duplicates(folders, (f) => f.name.toLowerCase(), (i, j) =>
    problems.push({ path: ['folders', j, 'name'], other: ['folders', i, 'name'], message: `the name '${folders[j]!.name}' is used by two folders (${folders[i]!.path} and ${folders[j]!.path})` }));
  duplicates(folders, (f) => f.path, (i, j) =>
    problems.push({ path: ['folders', j, 'path'], other: ['folders', i, 'path'], message: `${folders[j]!.path} is listed twice` }));
  duplicates(tiers, (t) => t.name.toLowerCase(), (i, j) =>
    problems.push({ path: ['tiers', j, 'name'], other: ['tiers', i, 'name'], message: `tier '${tiers[j]!.name}' is defined twice` }));
  duplicates(signatureSets, (s) => s.name.toLowerCase(), (i, j) =>
    problems.push({ path: ['signatureSets', j, 'name'], other: ['signatureSets', i, 'name'], message: `signature set '${signatureSets[j]!.name}' is defined twice` }));

  folders.forEach((folder, j) => {
    const outer = folders.findIndex((other, i) => i !== j && other.path !== folder.path && isInside(folder.path, other.path));
    if (outer >= 0) {
      problems.push({ path: ['folders', j, 'path'], other: ['folders', outer, 'path'], message: `${folder.path} is inside the protected folder ${folders[outer]!.path}; protected folders cannot nest` });
    }
  });

  const tierNames = new Set(tiers.map((t) => t.name.toLowerCase()));
  const setNames = new Set([BUILTIN_SIGNATURE_SET, ...signatureSets.map((s) => s.name.toLowerCase())]);
  folders.forEach((folder, j) => {
    const { hsm, scan } = folder.policy;
    if (hsm !== undefined && !tierNames.has(hsm.settings.tier.toLowerCase())) {
      problems.push({ path: ['folders', j, 'policy', 'hsm', 'settings', 'tier'], message: `no tier named '${hsm.settings.tier}' is defined` });
    }
    if (scan !== undefined && !setNames.has(scan.settings.signatureSet.toLowerCase())) {
      problems.push({ path: ['folders', j, 'policy', 'scan', 'settings', 'signatureSet'], message: `no signature set named '${scan.settings.signatureSet}' is defined` });
    }
    const seen = new Map<string, string>();
    for (const kind of PROTECTION_KINDS) {
      const altitude = folder.policy[kind]?.altitude;
      if (altitude === undefined) continue;
      const key = normalizeAltitude(altitude);
      const clash = seen.get(key);
      if (clash !== undefined) problems.push({ path: ['folders', j, 'policy', kind, 'altitude'], message: `${kind} and ${clash} cannot share altitude ${altitude}` });
      seen.set(key, kind);
    }
  });
  if (!setNames.has(state.media.scan.signatureSet.toLowerCase())) {
    problems.push({ path: ['media', 'scan', 'signatureSet'], message: `no signature set named '${state.media.scan.signatureSet}' is defined` });
  }
  return problems;
}

/** True when `inner` is `outer` itself or below it (either separator). */
export function isInside(inner: string, outer: string): boolean {
  if (inner === outer) return true;
  const base = outer.endsWith('/') || outer.endsWith('\\') ? outer : `${outer}${outer.includes('\\') && !outer.includes('/') ? '\\' : '/'}`;
  return inner.startsWith(base);
}

function duplicates<T>(items: readonly T[], key: (item: T) => string, report: (first: number, again: number) => void): void {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const k = key(item);
    const first = seen.get(k);
    if (first === undefined) seen.set(k, index);
    else report(first, index);
  });
}

function normalizeAltitude(altitude: string): string {
  const [whole = '', fraction = ''] = altitude.split('.');
  return `${whole.replace(/^0+(?=\d)/, '')}.${fraction.replace(/0+$/, '')}`;
}
