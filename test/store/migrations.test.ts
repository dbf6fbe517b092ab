// Tests of main/store's open + migration mechanism against real SQLite files in temp dirs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  DB_FILE_NAME,
  migrations,
  openStore,
  StoreMigrationError,
  StoreOpenError,
  StoreSchemaTooNewError,
  type Migration,
} from '../../main/store/index.js';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function tableNames(db: Database.Database): string[] {
  const rows = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[];
  return rows.map((r) => r.name);
}

const latest = migrations[migrations.length - 1]!.version;

test('a fresh data dir gets a WAL database at the latest schema version', (t) => {
  const dataDir = join(tempDir(t), 'nested', 'data');
  const store = openStore(dataDir);
  t.after(() => store.close());

  assert.equal(store.schemaVersion, latest);
  assert.equal(store.dbPath, join(dataDir, DB_FILE_NAME));
  assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(store.db.pragma('foreign_keys', { simple: true }), 1);
  assert.equal(store.db.pragma('user_version', { simple: true }), latest);
  assert.ok(tableNames(store.db).includes('settings'));

  const history = store.db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
  assert.deepEqual(
    history,
    migrations.map((m) => ({ version: m.version, name: m.name })),
  );
});

test('the data dir is created owner-only (0700)', { skip: process.platform === 'win32' }, (t) => {
  const dataDir = join(tempDir(t), 'data');
  openStore(dataDir).close();
  assert.equal(statSync(dataDir).mode & 0o777, 0o700);
});

test('the settings table enforces its columns', (t) => {
  const store = openStore(tempDir(t));
  t.after(() => store.close());
  store.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('theme', 'dark');
  assert.throws(() => store.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('theme', 'light'), /UNIQUE/);
  assert.throws(() => store.db.prepare('INSERT INTO settings (key, value) VALUES (?, NULL)').run('x'), /NOT NULL/);
});

test('reopening is idempotent and keeps data', (t) => {
  const dataDir = tempDir(t);
  const first = openStore(dataDir);
  first.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('k', 'v');
  first.close();
  first.close(); // close is idempotent

  const second = openStore(dataDir);
  t.after(() => second.close());
  assert.equal(second.schemaVersion, latest);
  assert.deepEqual(second.db.prepare('SELECT value FROM settings WHERE key = ?').get('k'), { value: 'v' });
  const count = second.db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number };
  assert.equal(count.n, migrations.length);
});

test('appended migrations run on an older database, in order, once', (t) => {
  const dataDir = tempDir(t);
  openStore(dataDir).close();
  const calls: number[] = [];
  const extended: Migration[] = [
    ...migrations,
    { version: latest + 1, name: 'widgets', up: 'CREATE TABLE widgets (id INTEGER PRIMARY KEY)' },
    {
      version: latest + 2,
      name: 'seed widgets',
      up: (db) => {
        calls.push(latest + 2);
        db.prepare('INSERT INTO widgets (id) VALUES (1)').run();
      },
    },
  ];
  const store = openStore(dataDir, { migrations: extended });
  store.close();
  const again = openStore(dataDir, { migrations: extended });
  t.after(() => again.close());
  assert.equal(again.schemaVersion, latest + 2);
  assert.deepEqual(calls, [latest + 2]);
  assert.deepEqual(again.db.prepare('SELECT id FROM widgets').all(), [{ id: 1 }]);
});

test('a failing migration rolls back every pending step and names itself', (t) => {
  const dataDir = tempDir(t);
  openStore(dataDir).close();
  const broken: Migration[] = [
    ...migrations,
    { version: latest + 1, name: 'good', up: 'CREATE TABLE good (id INTEGER)' },
    { version: latest + 2, name: 'bad', up: 'CREATE TABLE nonsense (' },
  ];
  assert.throws(
    () => openStore(dataDir, { migrations: broken }),
    (err: unknown) => err instanceof StoreMigrationError && err.version === latest + 2 && /bad/.test(err.message),
  );
  const store = openStore(dataDir);
  t.after(() => store.close());
  assert.equal(store.schemaVersion, latest);
  assert.ok(!tableNames(store.db).includes('good'));
});

test('a misnumbered migration list is rejected', (t) => {
  const bad: Migration[] = [...migrations, { version: latest + 2, name: 'skips one', up: 'SELECT 1' }];
  assert.throws(() => openStore(tempDir(t), { migrations: bad }), /misnumbered/);
});

test('a database from a newer schema version is refused and left unchanged', (t) => {
  const dataDir = tempDir(t);
  const dbPath = join(dataDir, DB_FILE_NAME);
  // Made by "a future Strata": rollback journal, so any journal-mode change would show in the header.
  const future = new Database(dbPath);
  future.exec('CREATE TABLE future_things (id INTEGER PRIMARY KEY); INSERT INTO future_things VALUES (42);');
  future.pragma(`user_version = ${latest + 5}`);
  future.close();
  const before = readFileSync(dbPath);

  assert.throws(
    () => openStore(dataDir),
    (err: unknown) =>
      err instanceof StoreSchemaTooNewError &&
      err.foundVersion === latest + 5 &&
      err.knownVersion === latest &&
      err.message.includes(dbPath) &&
      /left unchanged/.test(err.message),
  );

  assert.deepEqual(readFileSync(dbPath), before);
  const check = new Database(dbPath, { readonly: true });
  t.after(() => check.close());
  assert.equal(check.pragma('journal_mode', { simple: true }), 'delete');
  assert.deepEqual(tableNames(check), ['future_things']);
});

test('a file that is not a database gets a clear error naming it, and is left alone', (t) => {
  const dataDir = tempDir(t);
  const dbPath = join(dataDir, DB_FILE_NAME);
  const junk = Buffer.from('this is not sqlite, just some bytes that happen to be here\n'.repeat(40));
  writeFileSync(dbPath, junk);
  assert.throws(
    () => openStore(dataDir),
    (err: unknown) => err instanceof StoreOpenError && err.message.includes(dbPath) && /not an SQLite database/.test(err.message),
  );
  assert.deepEqual(readFileSync(dbPath), junk);
});
