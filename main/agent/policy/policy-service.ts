// The policy engine's write side: every change to folders, tiers, signature sets and the media policy
// is checked, written in one transaction together with its event, and only then announced (to the
// event stream and to the running folders, which attach or detach filters accordingly).

import { basename } from 'node:path';
import type { z } from 'zod';
import {
  ApiRequestError, POLICY_FORMAT, POLICY_VERSION, formatJsonPath, policyProblems, type AddFolderRequest,
  type EventAction, type EventRecord, type ImportPolicyRequest, type ImportPolicyResult, type MediaPolicy, type SignatureSet, type Tier,
  type UnsignedPolicyDocument, type UpdateFolderRequest,
} from '../../api/index.js';
import type { EventLog, NewEvent } from '../events/event-log.js';
import type { ProviderRegistry } from '../protections/provider.js';
import { randomUUID } from 'node:crypto';
import { tierMoveProblem } from '../protections/hsm-tier-binding.js';
import { checkFolderPath, plannedRealPath } from './folder-path.js';
import { folderNameProblem, isPathReference } from './folder-ref.js';
import { applyImportPlan } from './import-writes.js';
import { parsePolicyDocument, planImport } from './policy-import.js';
import type { FolderRecord, PolicyStore } from './policy-store.js';
import { assertAvailable, assertPolicyFits, withDefaultAltitudes } from './stored-policy.js';
import { tierAccessProblem, tierDataDirProblem, tierFolderProblem, type PlaceProblem } from './tier-place.js';

export type PolicyUpdate =
  | { type: 'folder'; folder: FolderRecord }
  | { type: 'folder-removed'; folder: FolderRecord }
  /** Tiers, signature sets or the media policy changed. */
  | { type: 'shared' };

export interface PolicyServiceOptions {
  dataDir: string;
  providers: ProviderRegistry;
  now?: () => Date;
}

interface ChangeScope {
  event(event: NewEvent): void;
  update(update: PolicyUpdate): void;
}

export class PolicyService {
  private readonly listeners = new Set<(update: PolicyUpdate) => void>();
  private readonly now: () => Date;

  constructor(
    readonly store: PolicyStore,
    readonly log: EventLog,
    private readonly options: PolicyServiceOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  onUpdate(listener: (update: PolicyUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A folder by id, name or path (an absolute path is only ever a path); 'not-found' otherwise. */
  folder(ref: string, field = '$.folder'): FolderRecord {
    const found = this.store.findFolder(ref);
    if (found !== undefined) return found;
    const named = isPathReference(ref) ? this.store.folderIdBy('name', ref) : undefined;
    if (named !== undefined) {
      throw new ApiRequestError('not-found', `no protected folder is at ${ref}; a folder is named '${ref}', but a path names a folder by where it is: give that folder's id (${named})`, field);
    }
    throw new ApiRequestError('not-found', `no protected folder is called '${ref}' (give its id, name or path)`, field);
  }

  addFolder(request: z.output<typeof AddFolderRequest>): FolderRecord {
    const path = checkFolderPath(request.path, this.options.dataDir);
    const name = request.name ?? (basename(path) || path);
    assertFolderName(name);
    const policy = withDefaultAltitudes(request.policy, this.options.providers);
    assertAvailable(policy, this.options.providers, ['policy']);
    return this.change((scope) => {
      this.assertPlaceFree(path, name, null);
      for (const tier of this.store.listTiers()) throwPlaceProblem(tierFolderProblem(tier, { name, path }), '$.path');
      assertPolicyFits(policy, this.shared(), ['policy']);
      const time = this.now().toISOString();
      const folder: FolderRecord = { id: randomUUID(), name, path, policy, createdAt: time, updatedAt: time };
      this.store.insertFolder(folder);
      scope.event({ folderId: folder.id, folderName: name, action: 'folder-added', result: 'ok', detail: describePolicy(folder) });
      scope.update({ type: 'folder', folder });
      return folder;
    });
  }

  updateFolder(request: z.output<typeof UpdateFolderRequest>): FolderRecord {
    return this.change((scope) => {
      const current = this.folder(request.folder);
      const policy = request.policy === undefined ? current.policy : withDefaultAltitudes(request.policy, this.options.providers);
      assertAvailable(policy, this.options.providers, ['policy']);
      const name = request.name ?? current.name;
      if (name !== current.name) assertFolderName(name);
      this.assertPlaceFree(current.path, name, current.id);
      assertPolicyFits(policy, this.shared(), ['policy']);
      const folder: FolderRecord = { ...current, name, policy, updatedAt: this.now().toISOString() };
      this.store.updateFolder(folder);
      scope.event({ folderId: folder.id, folderName: name, action: 'folder-changed', result: 'ok', detail: describePolicy(folder) });
      scope.update({ type: 'folder', folder });
      return folder;
    });
  }

  removeFolder(ref: string): FolderRecord {
    return this.change((scope) => {
      const folder = this.folder(ref);
      this.store.deleteFolder(folder.id);
      scope.event({ folderId: folder.id, folderName: folder.name, action: 'folder-removed', result: 'ok', detail: folder.path });
      scope.update({ type: 'folder-removed', folder });
      return folder;
    });
  }

  /** Adds or moves a tier; refused where its objects would be files of a protected folder, or away from its cold copies. */
  setTier(tier: Tier): Tier {
    return this.changeShared('tier-changed', () => {
      const moved = tierMoveProblem(this.store.db, tier);
      if (moved !== null) throw new ApiRequestError('conflict', moved, '$.path');
      throwPlaceProblem(tierDataDirProblem(tier, this.options.dataDir), '$.path');
      throwPlaceProblem(tierAccessProblem(tier), '$.path');
      const resolved = { ...tier, real: plannedRealPath(tier.path) };
      for (const folder of this.store.listFolderPlaces()) throwPlaceProblem(tierFolderProblem(resolved, folder), '$.path');
      this.store.setTier(tier);
      return { value: tier, detail: `${tier.name} → ${tier.path}` };
    });
  }

  removeTier(name: string): Tier {
    return this.changeShared('tier-changed', () => {
      const tier = this.inUseCheck('tier', this.store.listTiers(), name, (f) => f.policy.hsm?.settings.tier, false);
      this.store.deleteTier(tier.name);
      return { value: tier, detail: `${tier.name} removed` };
    });
  }

  setSignatureSet(set: SignatureSet): SignatureSet {
    return this.changeShared('signature-set-changed', () => {
      this.store.setSignatureSet(set);
      return { value: set, detail: `${set.name}: ${set.paths.join(', ')}` };
    });
  }

  removeSignatureSet(name: string): SignatureSet {
    return this.changeShared('signature-set-changed', () => {
      const usedByMedia = this.store.getMedia().scan.signatureSet.toLowerCase() === name.toLowerCase();
      const set = this.inUseCheck('signature set', this.store.listSignatureSets(), name, (f) => f.policy.scan?.settings.signatureSet, usedByMedia);
      this.store.deleteSignatureSet(set.name);
      return { value: set, detail: `${set.name} removed` };
    });
  }

  setMedia(media: MediaPolicy): MediaPolicy {
    return this.changeShared('media-policy-changed', () => {
      this.store.setMedia(media);
      return { value: media, detail: `scan on mount ${media.scanOnMount ? 'on' : 'off'}, action ${media.scan.action}` };
    });
  }

  exportDocument(): UnsignedPolicyDocument {
    const snapshot = this.store.snapshot();
    return {
      format: POLICY_FORMAT,
      version: POLICY_VERSION,
      exportedAt: this.now().toISOString(),
      folders: snapshot.folders.map((f) => ({ name: f.name, path: f.path, policy: f.policy })),
      tiers: snapshot.tiers,
      signatureSets: snapshot.signatureSets,
      media: snapshot.media,
    };
  }

  /** Validates everything, then (unless a dry run) applies it all in one transaction. */
  importDocument(request: z.output<typeof ImportPolicyRequest>): ImportPolicyResult {
    const doc = parsePolicyDocument(request.document);
    const context = {
      providers: this.options.providers,
      dataDir: this.options.dataDir,
      now: this.now().toISOString(),
      tierMoveProblem: (tier: Tier) => tierMoveProblem(this.store.db, tier),
    };
    if (request.dryRun) {
      const plan = this.store.transaction(() => planImport(this.store.snapshot(), doc, request.mode, context));
      return { applied: false, changes: plan.changes, warnings: plan.warnings };
    }
    return this.change((scope) => {
      const current = this.store.snapshot();
      const plan = planImport(current, doc, request.mode, context);
      applyImportPlan(this.store, current, plan);
      const count = (op: string) => plan.changes.filter((c) => c.op === op && c.what === 'folder').length;
      scope.event({ action: 'policy-imported', result: 'ok', detail: `${request.mode}: ${plan.added.length} folder(s) added, ${plan.changed.length} changed, ${plan.removed.length} removed; ${plan.changes.length - count('add') - count('remove') - count('change')} other change(s)` });
      for (const folder of plan.removed) scope.update({ type: 'folder-removed', folder });
      for (const folder of [...plan.added, ...plan.changed]) scope.update({ type: 'folder', folder });
      scope.update({ type: 'shared' });
      return { applied: true, changes: plan.changes, warnings: plan.warnings };
    });
  }

  /** A change to what folders share (tiers, signature sets, media policy): one event, then every folder re-checks. */
  private changeShared<T>(action: EventAction, apply: () => { value: T; detail: string }): T {
    return this.change((scope) => {
      const { value, detail } = apply();
      scope.event({ action, result: 'ok', detail });
      scope.update({ type: 'shared' });
      return value;
    });
  }

  /** The named item, unless missing (not-found) or still referred to by a folder or the media policy (conflict). */
  private inUseCheck<T extends { name: string }>(what: string, items: readonly T[], name: string, refOf: (folder: FolderRecord) => string | undefined, usedByMedia: boolean): T {
    const item = items.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
    if (item === undefined) throw new ApiRequestError('not-found', `no ${what} is called '${name}'`, '$.name');
    const users = this.store.listFolders().filter((f) => refOf(f)?.toLowerCase() === name.toLowerCase()).map((f) => `'${f.name}'`);
    if (usedByMedia) users.push('the media policy');
    if (users.length > 0) throw new ApiRequestError('conflict', `${what} '${item.name}' is used by ${users.join(', ')}; change them first`, '$.name');
    return item;
  }

  private shared() {
    return { tiers: this.store.listTiers(), signatureSets: this.store.listSignatureSets(), media: this.store.getMedia() };
  }

  private assertPlaceFree(path: string, name: string, selfId: string | null): void {
    for (const other of this.store.listFolders()) {
      if (other.id === selfId) continue;
      if (other.path === path) throw new ApiRequestError('conflict', `${path} is already protected as '${other.name}'`, '$.path');
      if (other.name.toLowerCase() === name.toLowerCase()) throw new ApiRequestError('conflict', `the name '${name}' is taken by the folder ${other.path}; choose another with a name`, '$.name');
      const outer = policyProblems({ folders: [{ name: 'a', path, policy: {} }, { name: 'b', path: other.path, policy: {} }], tiers: [], signatureSets: [], media: { scan: { signatureSet: 'builtin' } } });
      if (outer.length > 0) throw new ApiRequestError('conflict', `${path} and the protected folder ${other.path} ('${other.name}') would nest; protected folders cannot nest`, '$.path');
    }
  }

  /** One transaction: the change, its events and a final consistency check; announced after commit. */
  private change<T>(fn: (scope: ChangeScope) => T): T {
    const events: EventRecord[] = [];
    const updates: PolicyUpdate[] = [];
    const result = this.store.transaction(() => {
      const value = fn({ event: (e) => events.push(this.log.append(e)), update: (u) => updates.push(u) });
      const problems = policyProblems(this.store.snapshot());
      if (problems.length > 0) {
        throw new ApiRequestError('conflict', `the change would leave the policy inconsistent: ${problems[0]!.message}`, null, problems.map((p) => ({ path: formatJsonPath(p.path), message: p.message })));
      }
      return value;
    });
    this.log.publish(events);
    for (const update of updates) for (const listener of this.listeners) listener(update);
    return result;
  }
}

function assertFolderName(name: string): void {
  const problem = folderNameProblem(name);
  if (problem !== null) throw new ApiRequestError('invalid-request', problem, '$.name');
}

function throwPlaceProblem(problem: PlaceProblem | null, field: string): void {
  if (problem !== null) throw new ApiRequestError(problem.code, problem.message, field);
}

function describePolicy(folder: FolderRecord): string {
  const parts = Object.entries(folder.policy).map(([kind, p]) => `${kind}${p.enabled ? '' : ' (off)'} @${p.altitude}`);
  return `${folder.path}: ${parts.length === 0 ? 'no protections' : parts.join(', ')}`;
}
