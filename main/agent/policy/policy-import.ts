// Policy import: validate the whole document first (every problem with its JSON path), plan the target
// state (merge or replace), diff it against the store; import-writes.ts applies the plan inside the
// same transaction. Folder paths are taken resolved (symlinks followed, as addFolder stores them; for a folder that does
// not exist yet, the path its existing ancestors resolve to), so a link to a protected folder is that
// folder and a link into one is nesting.

import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import {
  ApiRequestError, PolicyDocument, formatJsonPath, invalidRequest, policyProblems, type ApiProblem, type ImportMode,
  type PolicyChange, type SignatureSet, type Tier,
} from '../../api/index.js';
import type { ProviderRegistry } from '../protections/provider.js';
import { checkFolderPath, checkPlannedFolderPath, plannedRealPath } from './folder-path.js';
import { folderNameProblem } from './folder-ref.js';
import { diffFields, diffItems } from './policy-diff.js';
import type { FolderRecord, PolicySnapshot } from './policy-store.js';
import { assertAvailable } from './stored-policy.js';
import { tierAccessProblem, tierDataDirProblem, tierFolderProblem } from './tier-place.js';

export function parsePolicyDocument(raw: unknown): PolicyDocument {
  const parsed = PolicyDocument.safeParse(raw);
  if (!parsed.success) throw invalidRequest('the policy document', parsed.error);
  return parsed.data;
}

export interface ImportContext {
  providers: ProviderRegistry;
  dataDir: string;
  now: string;
  /** Why the HSM's cold copies forbid putting this tier at its path (hsm-tier-binding.ts), or null. */
  tierMoveProblem: (tier: Tier) => string | null;
}

export interface ImportPlan {
  target: PolicySnapshot;
  changes: PolicyChange[];
  warnings: ApiProblem[];
  added: FolderRecord[];
  changed: FolderRecord[];
  removed: FolderRecord[];
  /** The document's JSON path of each added or changed folder, by folder id (for errors while writing). */
  fieldOf: Map<string, string>;
}

interface PlaceProblem extends ApiProblem {
  code: 'invalid-request' | 'conflict';
}

/** Everything the import would do, checked; nothing is written. */
export function planImport(current: PolicySnapshot, doc: PolicyDocument, mode: ImportMode, context: ImportContext): ImportPlan {
  const warnings: ApiProblem[] = [];
  const paths = doc.folders.map((folder, i) => {
    const field = formatJsonPath(['folders', i, 'path']);
    assertAvailable(folder.policy, context.providers, ['folders', i, 'policy']);
    if (existsSync(folder.path)) return checkFolderPath(folder.path, context.dataDir, field);
    warnings.push({ path: field, message: `there is no folder at ${folder.path} on this machine; it is protected once it exists` });
    return checkPlannedFolderPath(folder.path, context.dataDir, field);
  });
  doc.tiers.forEach((tier, i) => {
    if (!existsSync(tier.path)) warnings.push({ path: formatJsonPath(['tiers', i, 'path']), message: `tier '${tier.name}': ${tier.path} does not exist on this machine` });
  });
  doc.signatureSets.forEach((set, i) => set.paths.forEach((path, k) => {
    if (!existsSync(path)) warnings.push({ path: formatJsonPath(['signatureSets', i, 'paths', k]), message: `signature set '${set.name}': ${path} does not exist on this machine` });
  }));

  // A stored folder is matched by its path, or by where its path leads (one stored before paths were resolved).
  const byPath = new Map<string, FolderRecord>();
  for (const folder of current.folders) {
    byPath.set(folder.path, folder);
    const real = plannedRealPath(folder.path);
    if (!byPath.has(real)) byPath.set(real, folder);
  }
  const matched = doc.folders.map((_, i) => byPath.get(paths[i]!));
  const docFolders: FolderRecord[] = doc.folders.map((f, i) => {
    const existing = matched[i];
    // A matched folder keeps its stored path: the running agent watches it there.
    return existing === undefined
      ? { id: randomUUID(), name: f.name, path: paths[i]!, policy: f.policy, createdAt: context.now, updatedAt: context.now }
      : { ...existing, name: f.name, policy: f.policy };
  });
  const matchedIds = new Set(matched.flatMap((f) => (f === undefined ? [] : [f.id])));
  const kept = mode === 'merge' ? current.folders.filter((f) => !matchedIds.has(f.id)) : [];
  const target: PolicySnapshot = {
    folders: [...docFolders, ...kept],
    tiers: unionByName(doc.tiers, mode === 'merge' ? current.tiers : []),
    signatureSets: unionByName(doc.signatureSets, mode === 'merge' ? current.signatureSets : []),
    media: doc.media,
  };
  const docCounts = { folders: doc.folders.length, tiers: doc.tiers.length, signatureSets: doc.signatureSets.length };
  assertConsistent(target, docCounts);
  assertPlaces(current, target, doc, matched, context);

  const comparable = (f: FolderRecord) => ({ name: f.name, path: f.path, policy: f.policy });
  const changes = [
    ...diffItems('folder', current.folders, target.folders, (f) => f.path, comparable, { caseless: false }),
    ...diffItems('tier', current.tiers, target.tiers, (t) => t.name),
    ...diffItems('signature-set', current.signatureSets, target.signatureSets, (s) => s.name),
    ...diffFields('media', 'media', current.media, target.media),
  ];
  const targetIds = new Set(target.folders.map((f) => f.id));
  const differs = (f: FolderRecord, i: number) => JSON.stringify(comparable(matched[i]!)) !== JSON.stringify(comparable(f));
  const fieldOf = new Map(docFolders.map((f, i) => [f.id, formatJsonPath(['folders', i])]));
  return {
    target,
    changes,
    warnings,
    added: docFolders.filter((_, i) => matched[i] === undefined),
    changed: docFolders.filter((f, i) => matched[i] !== undefined && differs(f, i)).map((f) => ({ ...f, updatedAt: context.now })),
    removed: current.folders.filter((f) => !targetIds.has(f.id)),
    fieldOf,
  };
}

/** Problems of the target state, reported at the document's paths (an item of the store is named instead). */
function assertConsistent(target: PolicySnapshot, docCounts: Record<'folders' | 'tiers' | 'signatureSets', number>): void {
  const inDoc = (path: PropertyKey[] | undefined): boolean =>
    path !== undefined && typeof path[1] === 'number' && path[1] < (docCounts[path[0] as keyof typeof docCounts] ?? Infinity);
  const problems = policyProblems(target).map((p) => {
    const path = inDoc(p.path) ? p.path : inDoc(p.other) ? p.other! : [];
    const suffix = path === p.path ? '' : ' (with what this Strata already has)';
    return { path: formatJsonPath(path), message: `${p.message}${suffix}` };
  });
  throwProblems(problems.map((p) => ({ ...p, code: 'invalid-request' })));
}

/**
 * What needs this machine: folder names that read as paths (new or renamed ones), tiers moved away from
 * the HSM's cold copies, tiers in the data dir, tiers and protected folders nested (paths resolved).
 * Only what the import adds or changes is judged (a tier or folder kept as stored is not its doing), and
 * a clash is reported at the item the import adds or changes.
 */
function assertPlaces(current: PolicySnapshot, target: PolicySnapshot, doc: PolicyDocument, matched: ReadonlyArray<FolderRecord | undefined>, context: ImportContext): void {
  const problems: PlaceProblem[] = [];
  doc.folders.forEach((folder, i) => {
    const problem = matched[i]?.name === folder.name ? null : folderNameProblem(folder.name);
    if (problem !== null) problems.push({ code: 'invalid-request', path: formatJsonPath(['folders', i, 'name']), message: problem });
  });
  const storedTier = (tier: Tier) => current.tiers.some((t) => t.name.toLowerCase() === tier.name.toLowerCase() && t.path === tier.path);
  target.tiers.forEach((tier, i) => {
    const tierField = formatJsonPath(['tiers', i, 'path']);
    const tierIsNew = i < doc.tiers.length && !storedTier(tier);
    if (tierIsNew) {
      const moved = context.tierMoveProblem(tier);
      if (moved !== null) problems.push({ code: 'conflict', path: tierField, message: moved });
      const data = tierDataDirProblem(tier, context.dataDir);
      if (data !== null) problems.push({ ...data, path: tierField });
      const access = tierAccessProblem(tier);
      if (access !== null) problems.push({ ...access, path: tierField });
    }
    const resolved = { ...tier, real: plannedRealPath(tier.path) };
    target.folders.forEach((folder, j) => {
      const folderIsNew = j < doc.folders.length && matched[j] === undefined;
      if (!tierIsNew && !folderIsNew) return;
      const clash = tierFolderProblem(resolved, folder);
      if (clash !== null) problems.push({ ...clash, path: folderIsNew ? formatJsonPath(['folders', j, 'path']) : tierField });
    });
  });
  throwProblems(problems);
}

function throwProblems(problems: readonly PlaceProblem[]): void {
  if (problems.length === 0) return;
  const first = problems[0]!;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  throw new ApiRequestError(first.code, `the policy document cannot be applied at ${first.path}: ${first.message}${more}`, first.path, problems.map(({ path, message }) => ({ path, message })));
}

function unionByName<T extends Tier | SignatureSet>(first: readonly T[], rest: readonly T[]): T[] {
  const names = new Set(first.map((item) => item.name.toLowerCase()));
  return [...first, ...rest.filter((item) => !names.has(item.name.toLowerCase()))];
}
