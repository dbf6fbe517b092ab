// Errors raised while opening the Strata database, each naming the file it concerns.

/** The database file could not be opened or is not an SQLite database. */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
  constructor(
    readonly dbPath: string,
    reason: string,
  ) {
    super(`cannot open the Strata database ${dbPath}: ${reason}`);
  }
}

/**
 * The database was written by a newer Strata (its schema version is beyond the
 * last migration this build knows). It is refused before anything is written.
 */
export class StoreSchemaTooNewError extends Error {
  override readonly name = 'StoreSchemaTooNewError';
  constructor(
    readonly dbPath: string,
    readonly foundVersion: number,
    readonly knownVersion: number,
  ) {
    super(
      `the Strata database ${dbPath} has schema version ${foundVersion}, but this build of Strata ` +
        `only knows versions up to ${knownVersion}; it was left unchanged. ` +
        `Upgrade Strata, or point --data-dir at another folder.`,
    );
  }
}

/** A migration failed; the transaction was rolled back, so the schema is as before. */
export class StoreMigrationError extends Error {
  override readonly name = 'StoreMigrationError';
  constructor(
    readonly dbPath: string,
    readonly version: number,
    readonly migrationName: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `migration ${version} (${migrationName}) failed on ${dbPath}: ${reason}; ` +
        `the database was left at its previous schema version`,
      { cause },
    );
  }
}
