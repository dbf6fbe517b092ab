// fsck for one folder and its tiers: stubs whose object is missing, cold copies whose hash or size is
// wrong, stubs that are malformed or tampered with, authentic stubs the catalog forgot, catalog rows
// whose file is no longer a stub, objects no stub uses, temporary stubs left behind. With `repair`,
// only what cannot lose data is fixed: forgotten stubs are cataloged again, stale rows and stray
// temporary stubs removed, and orphan objects deleted — an object is an orphan only when no catalog
// row of any folder, no journal entry and no stub on disk in any folder using that tier names it.

import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listFolders } from '../catalog/folder-policy.js';
import { STUB_MAX_SIZE, decodeStub, looksLikeStub, type StubFields } from '../stub/stub-format.js';
import { TierError } from '../tier/tier.js';
import { isTierUnreachable } from '../tier/tier-status.js';
import type { HsmVolume } from '../volume/hsm-volume.js';
import { strayTempStubs, walkFolder } from './folder-walk.js';
import { readStubOf } from './stub-reader.js';

export type FindingKind =
  | 'stub-without-object' | 'object-damaged' | 'invalid-stub' | 'uncataloged-stub' | 'stale-row'
  | 'orphan-object' | 'stray-temp-stub' | 'tier-unreachable' | 'unfinished-journal';

export interface Finding {
  readonly kind: FindingKind;
  /** The file (volume path) or the object concerned. */
  readonly subject: string;
  readonly detail: string;
  /** Safe to fix automatically. */
  readonly repairable: boolean;
  repaired: boolean;
}

export interface FsckOptions {
  readonly repair?: boolean;
  /** Re-hash every cold copy (reads all of them); on by default. */
  readonly verifyHashes?: boolean;
  readonly onProgress?: (checked: number, subject: string) => void;
}

export interface FsckReport {
  readonly stubs: number;
  readonly objectsChecked: number;
  readonly findings: readonly Finding[];
  /** Problems left after the run (unrepairable, or repair not asked). */
  readonly problems: number;
}

export async function fsckFolder(volume: HsmVolume, options: FsckOptions = {}): Promise<FsckReport> {
  // Recalls and clean-ups still finishing would look like damage half-way.
  await volume.idle();
  const findings: Finding[] = [];
  const note = (kind: FindingKind, subject: string, detail: string, repairable: boolean): Finding => {
    const finding: Finding = { kind, subject, detail, repairable, repaired: false };
    findings.push(finding);
    return finding;
  };
  const repair = async (finding: Finding, action: () => Promise<unknown> | unknown): Promise<void> => {
    if (!options.repair || !finding.repairable) return;
    await action();
    finding.repaired = true;
  };

  for (const entry of volume.journal.pending()) note('unfinished-journal', entry.path, `a ${entry.kind} stopped at step '${entry.step}' (it is recovered at the next start)`, false);

  // 1. What the disk holds.
  const onDisk = new Map<string, { fields: StubFields; size: number }>();
  const invalid = new Set<string>();
  for await (const { path, entry } of walkFolder(volume)) {
    if (entry.endOfFile > STUB_MAX_SIZE) continue;
    const file = await volume.io.openIfExists(path);
    if (file === null) continue;
    let reading;
    try {
      reading = await readStubOf(volume, file);
    } finally {
      await volume.io.close(file);
    }
    if (reading.kind === 'invalid') {
      // Its row (and so its object) is kept: the stub may be put right from a backup.
      invalid.add(path);
      note('invalid-stub', path, `${reading.error.message}; it is never recalled — restore the stub from a backup`, false);
    }
    if (reading.kind !== 'stub') continue;
    onDisk.set(path, { fields: reading.fields, size: reading.bytes.length });
    const row = volume.catalog.get(path);
    if (row === null || row.object !== reading.fields.object || row.stubSize !== reading.bytes.length) {
      const finding = note('uncataloged-stub', path, 'an authentic stub the catalog does not list as such (listings show its stub size)', true);
      await repair(finding, () => volume.catalog.put({ path, ...reading.fields, stubSize: reading.bytes.length }));
    }
  }

  // 2. Catalog rows whose file is not that stub any more.
  for (const row of volume.catalog.all()) {
    if (onDisk.has(row.path) || invalid.has(row.path)) continue;
    const finding = note('stale-row', row.path, 'the catalog lists a stub here but the file is gone or is no longer a stub', true);
    await repair(finding, () => volume.catalog.remove(row.path));
  }

  // 3. Every stub's cold copy: present, right size, right hash.
  const unreachable = new Set<string>();
  let objectsChecked = 0;
  for (const [path, { fields }] of onDisk) {
    if (unreachable.has(fields.tier)) continue;
    try {
      const tier = volume.tier(fields.tier);
      const stored = await tier.stat(fields.object);
      objectsChecked++;
      options.onProgress?.(objectsChecked, path);
      if (stored === null) {
        note('stub-without-object', path, `its cold copy ${fields.object} is missing from tier '${fields.tier}': the content is lost unless a backup of the tier has it`, false);
      } else if (stored.size !== fields.size) {
        note('object-damaged', path, `its cold copy in tier '${fields.tier}' is ${stored.size} bytes, the stub says ${fields.size}`, false);
      } else if (options.verifyHashes !== false && !(await tier.verify(fields.object, fields.sha256))) {
        note('object-damaged', path, `its cold copy in tier '${fields.tier}' does not match the stub's SHA-256`, false);
      }
    } catch (error) {
      if (!(error instanceof TierError) || !isTierUnreachable(error.status)) throw error;
      unreachable.add(fields.tier);
      note('tier-unreachable', fields.tier, `${error.message}; its stubs and objects were not checked`, false);
    }
  }

  // 4. Objects nothing uses, in the tiers this folder uses.
  const tiers = new Set([volume.folder.policy.tier, ...[...onDisk.values()].map(({ fields }) => fields.tier)]);
  for (const tierName of tiers) {
    if (unreachable.has(tierName)) continue;
    const used = await objectsInUse(volume, tierName, onDisk);
    try {
      for await (const objectId of volume.tier(tierName).list()) {
        if (used.has(objectId)) continue;
        const finding = note('orphan-object', objectId, `in tier '${tierName}', used by no stub, catalog row or journal entry`, true);
        await repair(finding, () => volume.tier(tierName).delete(objectId));
      }
    } catch (error) {
      if (!(error instanceof TierError) || !isTierUnreachable(error.status)) throw error;
      note('tier-unreachable', tierName, `${error.message}; its objects were not listed`, false);
    }
  }

  // 5. Temporary stubs with no migration to finish them.
  const journaled = new Set(volume.journal.pending().map((entry) => entry.tempName));
  for await (const path of strayTempStubs(volume)) {
    if (journaled.has(path)) continue;
    const finding = note('stray-temp-stub', path, 'a temporary stub left by an interrupted migration', true);
    await repair(finding, () => volume.io.deleteIfExists(path));
  }

  return { stubs: onDisk.size, objectsChecked, findings, problems: findings.filter((finding) => !finding.repaired).length };
}

/** Object ids of `tier` named by any catalog row or journal entry, or by a stub on disk in any folder using the tier. */
async function objectsInUse(volume: HsmVolume, tierName: string, onDisk: Map<string, { fields: StubFields }>): Promise<Set<string>> {
  const db = volume.db;
  const used = new Set<string>([
    ...(db.prepare('SELECT object_id FROM hsm_stubs WHERE tier = ?').pluck().all(tierName) as string[]),
    ...(db.prepare('SELECT object_id FROM hsm_journal WHERE tier = ? AND object_id IS NOT NULL').pluck().all(tierName) as string[]),
  ]);
  for (const { fields } of onDisk.values()) if (fields.tier === tierName) used.add(fields.object);
  // Other folders are read straight from the host: a stub there the catalog forgot still protects its object.
  for (const folder of listFolders(db)) {
    if (folder.id === volume.folder.id) continue;
    for await (const fields of hostStubs(folder.path, volume.stubKey)) if (fields.tier === tierName) used.add(fields.object);
  }
  return used;
}

async function* hostStubs(directory: string, key: Uint8Array): AsyncGenerator<StubFields> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(directory, name);
    // Links are not followed (a link back to a parent would never end); a stub is found where it lies.
    const info = await lstat(path).catch(() => null);
    if (info === null) continue;
    if (info.isDirectory()) yield* hostStubs(path, key);
    else if (info.size <= STUB_MAX_SIZE) {
      const bytes = await readFile(path).catch(() => null);
      if (bytes === null || !looksLikeStub(bytes)) continue;
      try {
        yield decodeStub(bytes, key, path);
      } catch {
        // Not authentic: it protects nothing.
      }
    }
  }
}
