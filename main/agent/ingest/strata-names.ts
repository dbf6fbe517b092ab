// The names Strata itself creates inside a protected folder, in one list: ingest, the watcher, the ledger,
// folder scans and listings all ask isStrataPath, and the HSM's exclude globs mirror it. Only these exact
// names are Strata's; every other name is the user's, however it begins (".strata-notes.txt",
// ".stratagem/…" are encrypted, scanned and listed like any file):
// - the vault folder at the folder's root (".strata-vault", in any case, as filters/crypt refuses it);
// - filters/crypt's temporary files (".<name>.strata-tmp-<hex>"; the crypt filter's own rule is any name
//   containing ".strata-tmp-", and it refuses such names, so ingest follows that rule rather than try in vain);
// - filters/hsm's temporary stubs (".strata-hsm-<journal id>.tmp");
// - ingest's own beside each file: its copy (".<name>.strata-ingest-<digest>-<hex>") and its hold on the
//   original (".<name>.strata-orig-<digest>-<hex>"). <digest> is of the file's whole name: a name too long
//   to fit whole (a name is at most 255 bytes) is shortened, and the digest says so and still identifies
//   the file. Builds before the digest wrote ".<first 100 characters of the name>.strata-orig-<hex>".

import { createHash, randomBytes } from 'node:crypto';
import { isTempName as isCryptTempName, TEMP_MARK as CRYPT_TEMP_MARK } from '../../../filters/crypt/names.js';
import { VAULT_DIR } from '../../../filters/crypt/vault/vault-layout.js';
import { isHsmTempName } from '../../../filters/hsm/engine/release-file.js';

// The digest is absent from names older builds left (see parseIngestName).
const INGEST_NAME = /^\.(.*)\.strata-(ingest|orig)-(?:([0-9a-f]{16})-)?[0-9a-f]{12}$/s;
/** What a file system allows for one name (ext4, XFS, APFS, NTFS: 255 bytes or UTF-16 units). */
export const MAX_NAME_BYTES = 255;
/** How much of a name the builds before the digest kept (a name of exactly this length may be cut). */
const LEGACY_KEPT_CHARS = 100;

/**
 * The same names as globs for filters/hsm's exclude list (folder-relative, '/'-separated; a pattern
 * without '/' matches a name at any depth). Keep in step with isStrataPath (a test checks both agree).
 */
export const STRATA_NAME_GLOBS: readonly string[] = [
  `/${VAULT_DIR}/**`,
  `*${CRYPT_TEMP_MARK}*`,
  '.strata-hsm-[0-9]*.tmp',
  `.*.strata-ingest-${'[0-9a-f]'.repeat(16)}-${'[0-9a-f]'.repeat(12)}`,
  `.*.strata-orig-${'[0-9a-f]'.repeat(16)}-${'[0-9a-f]'.repeat(12)}`,
  `.*.strata-ingest-${'[0-9a-f]'.repeat(12)}`,
  `.*.strata-orig-${'[0-9a-f]'.repeat(12)}`,
];

export type IngestNameKind = 'copy' | 'original';

/** True when the folder-relative path ('/' or '\' separated) is one of Strata's own names or lies inside one. */
export function isStrataPath(relativePath: string): boolean {
  const parts = relativePath.split(/[\\/]/).filter((part) => part !== '');
  if (parts.length > 0 && parts[0]!.toLowerCase() === VAULT_DIR) return true;
  return parts.some(isStrataName);
}

/** True for a single name (no separators) that Strata creates beside the user's files, at any depth. */
function isStrataName(name: string): boolean {
  return isCryptTempName(name) || isHsmTempName(name) || INGEST_NAME.test(name);
}

/** A fresh name beside `base` under which ingest writes its copy, or holds the original while it replaces it. */
export function ingestName(base: string, kind: IngestNameKind): string {
  const suffix = `.strata-${kind === 'copy' ? 'ingest' : 'orig'}-${nameDigest(base)}-${randomBytes(6).toString('hex')}`;
  return `.${prefixWithin(base, MAX_NAME_BYTES - 1 - Buffer.byteLength(suffix))}${suffix}`;
}

/** What an ingest name is, and what it says of the file name it stands for. */
export interface IngestNameParts {
  readonly kind: IngestNameKind;
  /** That whole file name; null when the ingest name carries only its beginning (see standsFor). */
  readonly base: string | null;
  /** The part of the file name the ingest name carries (all of it when `base` is not null). */
  readonly prefix: string;
  /** The digest of the whole name; null in an older build's name, which carries none. */
  readonly digest: string | null;
}

/** The parts of an ingest name; null for any other name. */
export function parseIngestName(name: string): IngestNameParts | null {
  const match = INGEST_NAME.exec(name);
  if (match === null) return null;
  const kind = match[2] === 'ingest' ? 'copy' : 'original';
  const prefix = match[1]!;
  const digest = match[3] ?? null;
  // An older build's name was cut at LEGACY_KEPT_CHARS UTF-16 units: one shorter than that is whole.
  const whole = digest === null ? prefix.length < LEGACY_KEPT_CHARS : nameDigest(prefix) === digest;
  return { kind, base: whole ? prefix : null, prefix, digest };
}

/** True when `name` is the file name the ingest name stands for (for a shortened one, by its digest). */
export function standsFor(parts: IngestNameParts, name: string): boolean {
  if (parts.base !== null) return name === parts.base;
  return parts.digest !== null && name.startsWith(parts.prefix) && nameDigest(name) === parts.digest;
}

/** The path an ingest copy stands for ("docs/.a.txt.strata-ingest-<digest>-<hex>" → "docs/a.txt"); others unchanged. */
export function originalOfIngestTemp(relativePath: string): string {
  const slash = relativePath.lastIndexOf('/');
  const parsed = parseIngestName(relativePath.slice(slash + 1));
  // A shortened name gives only the beginning of the file's name: the best this can say without a listing.
  return parsed === null ? relativePath : `${relativePath.slice(0, slash + 1)}${parsed.base ?? parsed.prefix}`;
}

/** The longest beginning of `name` (whole characters) that fits in `bytes` bytes of UTF-8. */
export function prefixWithin(name: string, bytes: number): string {
  if (Buffer.byteLength(name) <= bytes) return name;
  let prefix = '';
  let used = 0;
  for (const character of name) {
    used += Buffer.byteLength(character);
    if (used > bytes) break;
    prefix += character;
  }
  return prefix;
}

function nameDigest(name: string): string {
  return createHash('sha256').update(name).digest('hex').slice(0, 16);
}
