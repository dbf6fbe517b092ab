// Where the HSM keeps each tier's cold copies. The HSM has its own tier table (hsm_tiers, names exact
// as first used, each bound to the folder its objects are in; stubs and the tier's marker file carry
// that exact name); the agent's policy names tiers in any case (agent_tiers is COLLATE NOCASE). This
// maps a policy tier to the HSM's: its canonical name, and whether the policy would move it away from
// the objects it holds — which is refused, never done: every stub of that tier would be cut off.

import { resolve } from 'node:path';
import type { Database } from 'better-sqlite3';

export interface HsmTierBinding {
  /** The HSM's name for the tier, exact case (what its stubs and marker carry). */
  readonly name: string;
  readonly location: string;
  /** Files released to this tier whose stubs are in a protected folder. */
  readonly stubs: number;
  /** Migrations or recalls of this tier not finished yet. */
  readonly inFlight: number;
}

/** The HSM's tiers whose name is `name` in any case. */
export function hsmTierBindings(db: Database, name: string): HsmTierBinding[] {
  return db.prepare(`
    SELECT t.name, t.location,
      (SELECT count(*) FROM hsm_stubs s WHERE s.tier = t.name) AS stubs,
      (SELECT count(*) FROM hsm_journal j WHERE j.tier = t.name) AS inFlight
    FROM hsm_tiers t WHERE t.name = ? COLLATE NOCASE ORDER BY (t.name = ?) DESC, t.created_at
  `).all(name, name) as HsmTierBinding[];
}

/** How the HSM compares locations: it stores a tier's location resolved. */
export function hsmLocationOf(path: string): string {
  return resolve(path);
}

/**
 * The HSM's binding of the tier `name` at `path`: `here` when the HSM already knows the tier at this
 * place, `elsewhere` when it knows it (in any case) only at another place, neither for a new tier.
 */
export function bindingFor(db: Database, tier: { name: string; path: string }): { here?: HsmTierBinding; elsewhere?: HsmTierBinding } {
  const bindings = hsmTierBindings(db, tier.name);
  const location = hsmLocationOf(tier.path);
  const here = bindings.find((b) => b.location === location);
  if (here !== undefined) return { here };
  return bindings.length === 0 ? {} : { elsewhere: bindings[0]! };
}

/** Why the policy cannot put `tier` at its path, or null when it can. */
export function tierMoveProblem(db: Database, tier: { name: string; path: string }): string | null {
  const { elsewhere } = bindingFor(db, tier);
  return elsewhere === undefined ? null : movedTierMessage(elsewhere, tier.path);
}

export function movedTierMessage(binding: HsmTierBinding, path: string): string {
  const held = [
    binding.stubs > 0 ? `${binding.stubs} stub(s) in protected folders are recalled from there` : '',
    binding.inFlight > 0 ? `${binding.inFlight} migration(s) or recall(s) with it are unfinished` : '',
  ].filter((s) => s !== '');
  const why = held.length > 0 ? held.join(', ') : 'its stubs are recalled from there';
  return `tier '${binding.name}' keeps its cold copies in ${binding.location} (${why}); moving it to ${path} would cut them off: ` +
    `keep it at ${binding.location}, or give the new place another tier name`;
}
