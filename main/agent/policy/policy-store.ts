// SQL access to the policy tables of migration 5: folders with their protections, tiers, signature sets
// and the media policy. No rules here beyond what the schema enforces: policy-service.ts decides what
// may change, and runs every change through `transaction` so it lands whole or not at all.

import type { Database } from 'better-sqlite3';
import {
  DEFAULT_MEDIA_POLICY, FolderPolicy, MediaPolicy, PROTECTION_KINDS, type PolicyState, type ProtectionKind,
  type SignatureSet, type Tier,
} from '../../api/index.js';
import { findFolderByRef } from './folder-ref.js';

export interface FolderRecord {
  id: string;
  name: string;
  path: string;
  policy: FolderPolicy;
  createdAt: string;
  updatedAt: string;
}

export interface PolicySnapshot extends PolicyState {
  folders: FolderRecord[];
  tiers: Tier[];
  signatureSets: SignatureSet[];
  media: MediaPolicy;
}

interface FolderRow {
  id: string;
  name: string;
  path: string;
  created_at: string;
  updated_at: string;
}
interface ProtectionRow {
  folder_id: string;
  kind: ProtectionKind;
  enabled: number;
  altitude: string;
  settings: string;
}

const MEDIA_KEY = 'media';

export class PolicyStore {
  constructor(readonly db: Database) {}

  /** Runs `fn` in one IMMEDIATE transaction (the write lock first, so concurrent writers queue). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  listFolders(): FolderRecord[] {
    const rows = this.db.prepare('SELECT * FROM agent_folders ORDER BY created_at, rowid').all() as FolderRow[];
    const protections = new Map<string, ProtectionRow[]>();
    for (const p of this.db.prepare('SELECT * FROM agent_protections').all() as ProtectionRow[]) {
      const list = protections.get(p.folder_id);
      if (list === undefined) protections.set(p.folder_id, [p]);
      else list.push(p);
    }
    return rows.map((row) => toRecord(row, protections.get(row.id) ?? []));
  }

  /** Every folder's id, name and path only (cheap: no policies parsed). */
  listFolderPlaces(): Array<{ id: string; name: string; path: string }> {
    return this.db.prepare('SELECT id, name, path FROM agent_folders ORDER BY created_at, rowid').all() as Array<{ id: string; name: string; path: string }>;
  }

  getFolder(id: string): FolderRecord | undefined {
    const row = this.db.prepare('SELECT * FROM agent_folders WHERE id = ?').get(id) as FolderRow | undefined;
    if (row === undefined) return undefined;
    return toRecord(row, this.db.prepare('SELECT * FROM agent_protections WHERE folder_id = ?').all(id) as ProtectionRow[]);
  }

  /** A folder by id or name (any case), or by path when `ref` is an absolute path (folder-ref.ts). */
  findFolder(ref: string): FolderRecord | undefined {
    return findFolderByRef(this, ref);
  }

  /** The id of the folder whose `column` is `value` (names compare in any case: the column is NOCASE). */
  folderIdBy(column: 'id' | 'name' | 'path', value: string): string | undefined {
    const row = this.db.prepare(`SELECT id FROM agent_folders WHERE ${column} = ?`).get(value) as { id: string } | undefined;
    return row?.id;
  }

  insertFolder(record: FolderRecord): void {
    this.db
      .prepare('INSERT INTO agent_folders (id, name, path, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(record.id, record.name, record.path, record.createdAt, record.updatedAt);
    this.writeProtections(record.id, record.policy);
  }

  updateFolder(record: FolderRecord): void {
    this.db.prepare('UPDATE agent_folders SET name = ?, path = ?, updated_at = ? WHERE id = ?').run(record.name, record.path, record.updatedAt, record.id);
    this.db.prepare('DELETE FROM agent_protections WHERE folder_id = ?').run(record.id);
    this.writeProtections(record.id, record.policy);
  }

  renameFolder(id: string, name: string): void {
    this.db.prepare('UPDATE agent_folders SET name = ? WHERE id = ?').run(name, id);
  }

  deleteFolder(id: string): void {
    this.db.prepare('DELETE FROM agent_folders WHERE id = ?').run(id);
  }

  listTiers(): Tier[] {
    return this.db.prepare('SELECT name, path FROM agent_tiers ORDER BY name').all() as Tier[];
  }

  setTier(tier: Tier): void {
    this.db.prepare('INSERT INTO agent_tiers (name, path) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET name = excluded.name, path = excluded.path').run(tier.name, tier.path);
  }

  deleteTier(name: string): void {
    this.db.prepare('DELETE FROM agent_tiers WHERE name = ?').run(name);
  }

  listSignatureSets(): SignatureSet[] {
    const rows = this.db.prepare('SELECT name, paths FROM agent_signature_sets ORDER BY name').all() as Array<{ name: string; paths: string }>;
    return rows.map((row) => ({ name: row.name, paths: JSON.parse(row.paths) as string[] }));
  }

  setSignatureSet(set: SignatureSet): void {
    this.db
      .prepare('INSERT INTO agent_signature_sets (name, paths) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET name = excluded.name, paths = excluded.paths')
      .run(set.name, JSON.stringify(set.paths));
  }

  deleteSignatureSet(name: string): void {
    this.db.prepare('DELETE FROM agent_signature_sets WHERE name = ?').run(name);
  }

  getMedia(): MediaPolicy {
    const row = this.db.prepare('SELECT value FROM agent_policy_settings WHERE key = ?').get(MEDIA_KEY) as { value: string } | undefined;
    return row === undefined ? DEFAULT_MEDIA_POLICY : MediaPolicy.parse(JSON.parse(row.value));
  }

  setMedia(media: MediaPolicy): void {
    this.db.prepare('INSERT INTO agent_policy_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(MEDIA_KEY, JSON.stringify(media));
  }

  snapshot(): PolicySnapshot {
    return { folders: this.listFolders(), tiers: this.listTiers(), signatureSets: this.listSignatureSets(), media: this.getMedia() };
  }

  private writeProtections(folderId: string, policy: FolderPolicy): void {
    const insert = this.db.prepare('INSERT INTO agent_protections (folder_id, kind, enabled, altitude, settings) VALUES (?, ?, ?, ?, ?)');
    for (const kind of PROTECTION_KINDS) {
      const protection = policy[kind];
      if (protection !== undefined) insert.run(folderId, kind, protection.enabled ? 1 : 0, protection.altitude, JSON.stringify(protection.settings));
    }
  }
}

function toRecord(row: FolderRow, protections: readonly ProtectionRow[]): FolderRecord {
  const policy: Record<string, unknown> = {};
  for (const p of protections) policy[p.kind] = { enabled: p.enabled === 1, altitude: p.altitude, settings: JSON.parse(p.settings) };
  // Parsing re-checks what was stored: a row edited by hand fails here with the field named.
  return { id: row.id, name: row.name, path: row.path, policy: FolderPolicy.parse(policy), createdAt: row.created_at, updatedAt: row.updated_at };
}
