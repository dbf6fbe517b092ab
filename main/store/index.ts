// Public surface of main/store: open the database; error types callers may want to recognise.
export { openStore, DB_FILE_NAME, type Store, type OpenStoreOptions } from './open-store.js';
export { StoreOpenError, StoreSchemaTooNewError, StoreMigrationError } from './errors.js';
export type { Migration } from './migration.js';
export { migrations } from './migrations.js';
export { defaultDataDir, resolveDataDir, APP_DIR_NAME, type HostInfo } from './data-dir.js';
export { commitTemp, removeDurably, syncDirectory, writeFileDurably, writeNewFileSynced, writeTemp, type TempNamer } from './durable-files.js';
