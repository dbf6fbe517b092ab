// After a crash: what the next start does with a hold on an original that ingest left behind
// (original-hold.ts). The hold's name says which file it holds: the whole name, or, for a name too long
// to carry whole, its beginning and a digest that picks the file out among the directory's names. A hold
// is judged against that file only; one whose file cannot be named for certain (gone meanwhile, or an
// older build's cut name) replaces nothing: it is kept under a visible name of its own, for the caller
// to report.

import { randomBytes } from 'node:crypto';
import { link, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_NAME_BYTES, isStrataPath, prefixWithin, standsFor, type IngestNameParts } from './strata-names.js';

export type HoldRecovery =
  /** The hold was spare (the file in place is the original, or what ingest made of it): removed. */
  | { readonly kind: 'released'; readonly original: string }
  /** The hold is someone's later edit (or the file is gone): put back under `original`. */
  | { readonly kind: 'restored'; readonly original: string }
  /** Its file could not be named for certain: the hold is now the visible file `keptAs`. */
  | { readonly kind: 'kept'; readonly keptAs: string; readonly reason: string };

const KEPT_MARK = '.strata-recovered-';

/** Judges the hold `holdName` in `directory` (names are of that directory; `parts` parse `holdName`). */
export async function recoverHold(directory: string, holdName: string, parts: IngestNameParts): Promise<HoldRecovery> {
  const holdPath = join(directory, holdName);
  const held = await stat(holdPath);
  const original = await originalNameOf(directory, parts, held.ino);
  if (original === null) {
    const why = parts.digest === null
      ? `an older build cut the name to '${parts.prefix}', and no file there is the one held`
      : `no file in its directory has the long name that begins '${parts.prefix}'`;
    return keep(directory, holdPath, parts.prefix, why);
  }
  const originalPath = join(directory, original);
  const current = await stat(originalPath).catch(() => null);
  if (current === null) {
    // Put back without replacing a file that may appear there meanwhile (link fails on an existing name).
    await link(holdPath, originalPath);
    await unlink(holdPath);
    return { kind: 'restored', original };
  }
  // The copy ingest put in place carries the original's modification time: a newer hold is a later edit.
  if (current.ino !== held.ino && held.mtimeMs > current.mtimeMs) {
    await rename(holdPath, originalPath);
    return { kind: 'restored', original };
  }
  await unlink(holdPath);
  return { kind: 'released', original };
}

/**
 * The name of the file the hold is for: the whole name its own name carries; else the one file of the
 * directory its digest picks out; else (an older build's name, cut and without a digest) only the file
 * that is still the very same file as the hold. null when none is certain.
 */
async function originalNameOf(directory: string, parts: IngestNameParts, heldIno: number): Promise<string | null> {
  if (parts.base !== null) return parts.base;
  const names = (await readdir(directory)).filter((name) => name.startsWith(parts.prefix) && !isStrataPath(name));
  if (parts.digest !== null) return names.find((name) => standsFor(parts, name)) ?? null;
  for (const name of names) {
    const stats = await stat(join(directory, name)).catch(() => null);
    if (stats?.ino === heldIno) return name;
  }
  return null;
}

async function keep(directory: string, holdPath: string, prefix: string, reason: string): Promise<HoldRecovery> {
  const suffix = `${KEPT_MARK}${randomBytes(6).toString('hex')}`;
  const keptAs = `${prefixWithin(prefix, MAX_NAME_BYTES - Buffer.byteLength(suffix))}${suffix}`;
  await link(holdPath, join(directory, keptAs));
  await unlink(holdPath);
  return { kind: 'kept', keptAs, reason };
}
