// Names that belong to Strata inside a protected folder: the vault folder and the filters' own files
// (".strata…"), and ingest's own beside each file — its copy (".<name>.strata-ingest-<hex>") and its
// hold on the original (".<name>.strata-orig-<hex>"). Never ingested, never watched.

import { randomBytes } from 'node:crypto';

const STRATA_PREFIX = '.strata';
const INGEST_NAME = /^\.(.*)\.strata-(ingest|orig)-[0-9a-f]{12}$/;

export type IngestNameKind = 'copy' | 'original';

/** True when any component of the folder-relative path is one of Strata's own names. */
export function isStrataPath(relativePath: string): boolean {
  return relativePath.split(/[\\/]/).some((part) => part.startsWith(STRATA_PREFIX) || INGEST_NAME.test(part));
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
