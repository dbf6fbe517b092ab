// Writes a checked import plan to the store, in an order the schema's UNIQUE constraints accept: removed
// folders go first (their names and paths become free), renamed folders pass through a temporary name
// (a document may swap two folders' names), then the final names, then new folders. A constraint that
// still fails is reported at the document's folder, never as a bare SQLite error.

import { ApiRequestError } from '../../api/index.js';
import type { ImportPlan } from './policy-import.js';
import type { FolderRecord, PolicySnapshot, PolicyStore } from './policy-store.js';

/** Call inside the transaction that read `current` and planned the import. */
export function applyImportPlan(store: PolicyStore, current: PolicySnapshot, plan: ImportPlan): void {
  for (const folder of plan.removed) store.deleteFolder(folder.id);
  const keepTiers = new Set(plan.target.tiers.map((t) => t.name.toLowerCase()));
  const keepSets = new Set(plan.target.signatureSets.map((s) => s.name.toLowerCase()));
  // Tiers and sets first: folders refer to them.
  for (const tier of plan.target.tiers) store.setTier(tier);
  for (const set of plan.target.signatureSets) store.setSignatureSet(set);
  store.setMedia(plan.target.media);
  const before = new Map(current.folders.map((f) => [f.id, f.name]));
  const renamed = plan.changed.filter((f) => before.get(f.id) !== f.name);
  for (const folder of renamed) guarded(plan, folder, () => store.renameFolder(folder.id, temporaryName(folder)));
  for (const folder of plan.changed) guarded(plan, folder, () => store.updateFolder(folder));
  for (const folder of plan.added) guarded(plan, folder, () => store.insertFolder(folder));
  for (const tier of current.tiers) if (!keepTiers.has(tier.name.toLowerCase())) store.deleteTier(tier.name);
  for (const set of current.signatureSets) if (!keepSets.has(set.name.toLowerCase())) store.deleteSignatureSet(set.name);
}

/** Unique (folder ids are), not a valid name (a control character), and never seen outside the transaction. */
function temporaryName(folder: FolderRecord): string {
  return `\u0001strata-import-rename-${folder.id}`;
}

function guarded(plan: ImportPlan, folder: FolderRecord, write: () => void): void {
  try {
    write();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('SQLITE_CONSTRAINT')) throw error;
    const at = plan.fieldOf.get(folder.id) ?? '$.folders';
    const message = (error as Error).message;
    const [field, words] = message.includes('agent_folders.name')
      ? [`${at}.name`, `the name '${folder.name}' is taken by another protected folder`]
      : message.includes('agent_folders.path')
        ? [`${at}.path`, `${folder.path} is already a protected folder`]
        : [at, `the store refused folder '${folder.name}' (${folder.path}): ${message}`];
    throw new ApiRequestError('conflict', `the policy document cannot be applied at ${field}: ${words}`, field);
  }
}
