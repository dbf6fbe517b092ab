// Names that belong to Strata inside a protected folder (the vault folder, filters' and ingest's temporary
// files all start with ".strata"): never ingested, never watched.

const STRATA_PREFIX = '.strata';
const INGEST_TEMP = /\.strata-ingest-[0-9a-f]{12}$/;

/** True when any component of the folder-relative path is one of Strata's own names. */
export function isStrataPath(relativePath: string): boolean {
  return relativePath.split(/[\\/]/).some((part) => part.startsWith(STRATA_PREFIX) || INGEST_TEMP.test(part));
}

/** The temporary name ingest writes beside `base` before renaming it over the original. */
export function ingestTempName(base: string, random: string): string {
  return `.${base.slice(0, 100)}.strata-ingest-${random}`;
}

/** The path an ingest copy stands for ("docs/.a.txt.strata-ingest-<hex>" → "docs/a.txt"); others unchanged. */
export function originalOfIngestTemp(relativePath: string): string {
  return relativePath.replace(/(^|\/)\.([^/]*)\.strata-ingest-[0-9a-f]{12}$/, '$1$2');
}

export function isIngestTemp(name: string): boolean {
  return INGEST_TEMP.test(name);
}
