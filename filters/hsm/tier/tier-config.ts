// Tiers are configured by name in SQLite (hsm_tiers): add, list, remove, and open by name. A tier still
// used by a folder policy, by a stub or by an unfinished journal entry cannot be removed: its objects are
// the only copy of those files.

import { isAbsolute, resolve } from 'node:path';
import type { Database } from 'better-sqlite3';
import { STATUS_BAD_NETWORK_NAME, STATUS_INVALID_PARAMETER, STATUS_OBJECT_NAME_COLLISION } from '../../../main/io/index.js';
import { LocalTier, initializeLocalTier } from './local-tier.js';
import { TierError, isTierName, type Tier } from './tier.js';

export interface TierConfig {
  readonly name: string;
  readonly kind: 'local';
  readonly location: string;
  readonly createdAt: string;
}

interface TierRow {
  name: string;
  kind: 'local';
  location: string;
  created_at: string;
}

const configOf = (row: TierRow): TierConfig => ({ name: row.name, kind: row.kind, location: row.location, createdAt: row.created_at });

export async function addTier(db: Database, name: string, location: string): Promise<TierConfig> {
  if (!isTierName(name)) {
    throw new TierError(String(name), STATUS_INVALID_PARAMETER, 'a tier name is 1-63 letters, digits, dots, dashes or underscores, starting with a letter or digit');
  }
  if (!isAbsolute(location)) throw new TierError(name, STATUS_INVALID_PARAMETER, `the location must be an absolute folder path, got '${location}'`);
  if (findTier(db, name) !== null) throw new TierError(name, STATUS_OBJECT_NAME_COLLISION, 'a tier with this name already exists');
  const root = resolve(location);
  await initializeLocalTier(name, root);
  db.prepare('INSERT INTO hsm_tiers (name, kind, location, created_at) VALUES (?, ?, ?, ?)').run(name, 'local', root, new Date().toISOString());
  return findTier(db, name)!;
}

export function listTiers(db: Database): TierConfig[] {
  return (db.prepare('SELECT * FROM hsm_tiers ORDER BY name').all() as TierRow[]).map(configOf);
}

export function findTier(db: Database, name: string): TierConfig | null {
  const row = db.prepare('SELECT * FROM hsm_tiers WHERE name = ?').get(name) as TierRow | undefined;
  return row === undefined ? null : configOf(row);
}

/** Removes a tier's configuration (never its objects); refused while folders, stubs or journal entries use it. */
export function removeTier(db: Database, name: string): void {
  if (findTier(db, name) === null) throw new TierError(name, STATUS_BAD_NETWORK_NAME, 'no tier with this name is configured');
  const folders = db.prepare('SELECT path FROM hsm_folders WHERE tier = ? ORDER BY path').pluck().all(name) as string[];
  const stubs = db.prepare('SELECT count(*) FROM hsm_stubs WHERE tier = ?').pluck().get(name) as number;
  // An unfinished migration or recall (left by a crash) may hold the only copy there, or need it to finish.
  const steps = db.prepare('SELECT count(*) FROM hsm_journal WHERE tier = ?').pluck().get(name) as number;
  if (folders.length > 0 || stubs > 0 || steps > 0) {
    const users = [
      ...(folders.length > 0 ? [`folder policies: ${folders.join(', ')}`] : []),
      ...(stubs > 0 ? [`${stubs} stub(s) whose only copy is there`] : []),
      ...(steps > 0 ? [`${steps} unfinished migration or recall step(s), finished when their folder is next opened`] : []),
    ];
    throw new TierError(name, STATUS_INVALID_PARAMETER, `still in use (${users.join('; ')}); recall those files, change the policies or open those folders first`);
  }
  db.prepare('DELETE FROM hsm_tiers WHERE name = ?').run(name);
}

/** Opens configured tiers by name, one Tier object per name. */
export class TierRegistry {
  private readonly open = new Map<string, Tier>();

  constructor(private readonly db: Database) {}

  /** The tier named `name`; an unknown name is STATUS_BAD_NETWORK_NAME (its stubs are then offline). */
  get(name: string): Tier {
    let tier = this.open.get(name);
    if (tier === undefined) {
      const config = findTier(this.db, name);
      if (config === null) throw new TierError(name, STATUS_BAD_NETWORK_NAME, 'no tier with this name is configured (was it removed?)');
      tier = new LocalTier(config.name, config.location);
      this.open.set(name, tier);
    }
    return tier;
  }
}
