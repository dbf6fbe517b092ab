// Per-folder HSM policy (hsm_folders): which tier cold files go to, how old and how large a file must
// be, and include/exclude globs. Safe defaults: 90 days since last use, 64 KiB, everything included.

import type { Database } from 'better-sqlite3';

export type AgeBasis = 'access-or-modification' | 'modification';

export interface HsmPolicy {
  readonly tier: string;
  readonly minAgeSeconds: number;
  /** What "age" counts from: the later of last access and last write, or the last write only (noatime mounts). */
  readonly ageBasis: AgeBasis;
  readonly minSize: number;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

export interface HsmFolder {
  readonly id: number;
  /** The folder's absolute host path. */
  readonly path: string;
  readonly policy: HsmPolicy;
}

export const DEFAULT_POLICY: Omit<HsmPolicy, 'tier'> = {
  minAgeSeconds: 90 * 24 * 3600,
  ageBasis: 'access-or-modification',
  minSize: 64 * 1024,
  include: ['**'],
  exclude: [],
};

interface FolderRow {
  id: number;
  path: string;
  tier: string;
  min_age_seconds: number;
  age_basis: AgeBasis;
  min_size: number;
  include_globs: string;
  exclude_globs: string;
}

function folderOf(row: FolderRow): HsmFolder {
  return {
    id: row.id,
    path: row.path,
    policy: {
      tier: row.tier,
      minAgeSeconds: row.min_age_seconds,
      ageBasis: row.age_basis,
      minSize: row.min_size,
      include: JSON.parse(row.include_globs) as string[],
      exclude: JSON.parse(row.exclude_globs) as string[],
    },
  };
}

export function findFolder(db: Database, path: string): HsmFolder | null {
  const row = db.prepare('SELECT * FROM hsm_folders WHERE path = ?').get(path) as FolderRow | undefined;
  return row === undefined ? null : folderOf(row);
}

export function listFolders(db: Database): HsmFolder[] {
  return (db.prepare('SELECT * FROM hsm_folders ORDER BY path').all() as FolderRow[]).map(folderOf);
}

/** Creates the folder's policy (defaults for what `changes` leaves out) or updates the given fields. */
export function setFolderPolicy(db: Database, path: string, changes: Partial<HsmPolicy>): HsmFolder {
  const current = findFolder(db, path);
  if (current === null && changes.tier === undefined) throw new Error(`folder ${path} has no HSM policy yet: give a tier`);
  const policy: HsmPolicy = { ...DEFAULT_POLICY, ...current?.policy, ...definedOnly(changes) } as HsmPolicy;
  const values = [policy.tier, policy.minAgeSeconds, policy.ageBasis, policy.minSize, JSON.stringify(policy.include), JSON.stringify(policy.exclude)];
  if (current === null) {
    db.prepare(`INSERT INTO hsm_folders (tier, min_age_seconds, age_basis, min_size, include_globs, exclude_globs, path)
      VALUES (?, ?, ?, ?, ?, ?, ?)`).run(...values, path);
  } else {
    db.prepare(`UPDATE hsm_folders SET tier = ?, min_age_seconds = ?, age_basis = ?, min_size = ?, include_globs = ?, exclude_globs = ?
      WHERE path = ?`).run(...values, path);
  }
  return findFolder(db, path)!;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
