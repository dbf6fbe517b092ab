// Policy import: validate the whole document first (every problem with its JSON path), plan the target
// state (merge or replace), diff it against the store, and apply the plan inside one transaction.

import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import {
  ApiRequestError, PolicyDocument, formatJsonPath, invalidRequest, policyProblems, type ApiProblem, type ImportMode,
  type PolicyChange, type SignatureSet, type Tier,
} from '../../api/index.js';
import type { ProviderRegistry } from '../protections/provider.js';
import { checkFolderPath } from './folder-path.js';
import { diffFields, diffItems } from './policy-diff.js';
import type { FolderRecord, PolicySnapshot, PolicyStore } from './policy-store.js';
import { assertAvailable } from './stored-policy.js';

export function parsePolicyDocument(raw: unknown): PolicyDocument {
  const parsed = PolicyDocument.safeParse(raw);
  if (!parsed.success) throw invalidRequest('the policy document', parsed.error);
  return parsed.data;
}

export interface ImportPlan {
  target: PolicySnapshot;
  changes: PolicyChange[];
  warnings: ApiProblem[];
  added: FolderRecord[];
  changed: FolderRecord[];
  removed: FolderRecord[];
}

/** Everything the import would do, checked; nothing is written. */
export function planImport(current: PolicySnapshot, doc: PolicyDocument, mode: ImportMode, context: { providers: ProviderRegistry; dataDir: string; now: string }): ImportPlan {
  const warnings: ApiProblem[] = [];
  doc.folders.forEach((folder, i) => {
    assertAvailable(folder.policy, context.providers, ['folders', i, 'policy']);
    if (existsSync(folder.path)) checkFolderPath(folder.path, context.dataDir, formatJsonPath(['folders', i, 'path']));
    else warnings.push({ path: formatJsonPath(['folders', i, 'path']), message: `there is no folder at ${folder.path} on this machine; it is protected once it exists` });
  });
  doc.tiers.forEach((tier, i) => {
    if (!existsSync(tier.path)) warnings.push({ path: formatJsonPath(['tiers', i, 'path']), message: `tier '${tier.name}': ${tier.path} does not exist on this machine` });
  });
  doc.signatureSets.forEach((set, i) => set.paths.forEach((path, k) => {
    if (!existsSync(path)) warnings.push({ path: formatJsonPath(['signatureSets', i, 'paths', k]), message: `signature set '${set.name}': ${path} does not exist on this machine` });
  }));

  const byPath = new Map(current.folders.map((f) => [f.path, f]));
  const docFolders: FolderRecord[] = doc.folders.map((f) => {
    const existing = byPath.get(f.path);
    return existing === undefined
      ? { id: randomUUID(), name: f.name, path: f.path, policy: f.policy, createdAt: context.now, updatedAt: context.now }
      : { ...existing, name: f.name, policy: f.policy };
  });
  const inDoc = new Set(doc.folders.map((f) => f.path));
  const kept = mode === 'merge' ? current.folders.filter((f) => !inDoc.has(f.path)) : [];
  const target: PolicySnapshot = {
    folders: [...docFolders, ...kept],
    tiers: unionByName(doc.tiers, mode === 'merge' ? current.tiers : []),
    signatureSets: unionByName(doc.signatureSets, mode === 'merge' ? current.signatureSets : []),
    media: doc.media,
  };
  assertConsistent(target, { folders: doc.folders.length, tiers: doc.tiers.length, signatureSets: doc.signatureSets.length });

  const comparable = (f: FolderRecord) => ({ name: f.name, path: f.path, policy: f.policy });
  const changes = [
    ...diffItems('folder', current.folders, target.folders, (f) => f.path, comparable),
    ...diffItems('tier', current.tiers, target.tiers, (t) => t.name),
    ...diffItems('signature-set', current.signatureSets, target.signatureSets, (s) => s.name),
    ...diffFields('media', 'media', current.media, target.media),
  ];
  const targetIds = new Set(target.folders.map((f) => f.id));
  const changedPaths = new Set(changes.filter((c) => c.what === 'folder' && c.op === 'change').map((c) => c.key));
  return {
    target,
    changes,
    warnings,
    added: docFolders.filter((f) => !byPath.has(f.path)),
    changed: docFolders.filter((f) => byPath.has(f.path) && changedPaths.has(f.path)).map((f) => ({ ...f, updatedAt: context.now })),
    removed: current.folders.filter((f) => !targetIds.has(f.id)),
  };
}

/** Writes the plan; call inside the same transaction that read `current`. */
export function applyImportPlan(store: PolicyStore, current: PolicySnapshot, plan: ImportPlan): void {
  for (const folder of plan.removed) store.deleteFolder(folder.id);
  const keepTiers = new Set(plan.target.tiers.map((t) => t.name.toLowerCase()));
  const keepSets = new Set(plan.target.signatureSets.map((s) => s.name.toLowerCase()));
  // Tiers and sets first: folders refer to them.
  for (const tier of plan.target.tiers) store.setTier(tier);
  for (const set of plan.target.signatureSets) store.setSignatureSet(set);
  store.setMedia(plan.target.media);
  for (const folder of plan.changed) store.updateFolder(folder);
  for (const folder of plan.added) store.insertFolder(folder);
  for (const tier of current.tiers) if (!keepTiers.has(tier.name.toLowerCase())) store.deleteTier(tier.name);
  for (const set of current.signatureSets) if (!keepSets.has(set.name.toLowerCase())) store.deleteSignatureSet(set.name);
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
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw new ApiRequestError('invalid-request', `the policy document cannot be applied at ${problems[0]!.path}: ${problems[0]!.message}${more}`, problems[0]!.path, problems);
  }
}

function unionByName<T extends Tier | SignatureSet>(first: readonly T[], rest: readonly T[]): T[] {
  const names = new Set(first.map((item) => item.name.toLowerCase()));
  return [...first, ...rest.filter((item) => !names.has(item.name.toLowerCase()))];
}
