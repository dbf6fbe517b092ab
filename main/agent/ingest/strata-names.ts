// The names Strata itself creates inside a protected folder, in one list: ingest, the watcher, the ledger,
// folder scans and listings all ask isStrataPath, and the HSM's exclude globs mirror it. Only these exact
// names are Strata's; every other name is the user's, however it begins (".strata-notes.txt",
// ".stratagem/…" are encrypted, scanned and listed like any file):
// - the vault folder at the folder's root (".strata-vault", in any case, as filters/crypt refuses it);
// - filters/crypt's temporary files (".<name>.strata-tmp-<hex>"; the crypt filter's own rule is any name
//   containing ".strata-tmp-", and it refuses such names, so ingest follows that rule rather than try in vain);
// - filters/hsm's temporary stubs (".strata-hsm-<journal id>.tmp");
// - ingest's own beside each file: its copy (".<name>.strata-ingest-<hex>") and its hold on the original
//   (".<name>.strata-orig-<hex>").

import { randomBytes } from 'node:crypto';
import { isTempName as isCryptTempName, TEMP_MARK as CRYPT_TEMP_MARK } from '../../../filters/crypt/names.js';
import { VAULT_DIR } from '../../../filters/crypt/vault/vault-layout.js';
import { isHsmTempName } from '../../../filters/hsm/engine/release-file.js';

const INGEST_NAME = /^\.(.*)\.strata-(ingest|orig)-[0-9a-f]{12}$/;

/**
 * The same names as globs for filters/hsm's exclude list (folder-relative, '/'-separated; a pattern
 * without '/' matches a name at any depth). Keep in step with isStrataPath (a test checks both agree).
 */
export const STRATA_NAME_GLOBS: readonly string[] = [
  `/${VAULT_DIR}/**`,
  `*${CRYPT_TEMP_MARK}*`,
  '.strata-hsm-[0-9]*.tmp',
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
  return `.${base.slice(0, 100)}.strata-${kind === 'copy' ? 'ingest' : 'orig'}-${randomBytes(6).toString('hex')}`;
}

/** What an ingest name is and the file name it stands for; null for any other name. */
export function parseIngestName(name: string): { kind: IngestNameKind; base: string } | null {
  const match = INGEST_NAME.exec(name);
  return match === null ? null : { kind: match[2] === 'ingest' ? 'copy' : 'original', base: match[1]! };
}

/** The path an ingest copy stands for ("docs/.a.txt.strata-ingest-<hex>" → "docs/a.txt"); others unchanged. */
export function originalOfIngestTemp(relativePath: string): string {
  const slash = relativePath.lastIndexOf('/');
  const parsed = parseIngestName(relativePath.slice(slash + 1));
  return parsed === null ? relativePath : `${relativePath.slice(0, slash + 1)}${parsed.base}`;
}
