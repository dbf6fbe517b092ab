// The quarantine: infected content kept where it can do no harm — encrypted with age to Strata's own
// key in <data dir>/quarantine/<id>.age — with its origin, signature, time, size and SHA-256 in SQLite.
// Adding writes the age file durably before its row exists; removing drops the row first; files
// without a row (a crash in between) are swept when the store opens. Restoring needs the caller to
// acknowledge that the content is infected, checks the SHA-256, and never replaces a file unless told;
// it goes back to its origin without following a link on the way (restore-directory.ts): a folder there
// that has become a link is refused, so the content never lands outside the folder it came from.

import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { X25519Identity, Sodium } from '../../../main/age/index.js';
import { openStore, type Store } from '../../../main/store/index.js';
import type { ByteSource } from '../source/byte-source.js';
import { commitTemp, removeDurably, writeTemp, type TempNamer } from '../../../main/store/index.js';
import { decryptFromFile, encryptToFile } from './age-stream.js';
import { QuarantineError } from './quarantine-error.js';
import { loadOrCreateQuarantineKey } from './quarantine-key.js';
import { withExistingLinksFollowed, withRestoreDirectory } from './restore-directory.js';

/**
 * The temp file a restore writes beside its target: a name in the crypt filter's temporary form
 * (".<name>.strata-tmp-<12 hex>"), which a protected folder's watcher and ingest treat as Strata's own. A
 * plain hidden name was taken in while it existed (a slow fsync outlasting the folder's quiet time) and
 * quarantined again, as a file written there; a leftover of this form is swept like crypt's. The name is cut
 * to 48 characters, as crypt cuts it, so that the whole stays within 255 bytes.
 */
export const restoreTempName: TempNamer = (base, random) => `.${[...base].slice(0, 48).join('')}.strata-tmp-${random}`;

export { QuarantineError } from './quarantine-error.js';

export interface QuarantineEntry {
  readonly id: string;
  readonly originPath: string;
  readonly signature: string;
  /** Milliseconds since the epoch. */
  readonly detectedAt: number;
  readonly size: number;
  readonly sha256: string;
  readonly foundBy: string;
}

export interface NewQuarantineItem {
  readonly originPath: string;
  readonly signature: string;
  readonly foundBy: string;
  readonly content: ByteSource;
}

export interface RestoreOptions {
  /** Restore here instead of the origin path (links in its existing folders are followed: the user named it). */
  readonly to?: string;
  /** Replace an existing file at the target. */
  readonly overwrite?: boolean;
  /** Must be true: the caller knows the content is infected. */
  readonly acknowledgeInfected: boolean;
}

export const QUARANTINE_DIR = 'quarantine';
const KEY_FILE = 'identity.txt';
const ID_PATTERN = /^[0-9a-f]{16}$/;
/** How old a crash leftover must be before a store that opens removes it. */
export const SWEEP_MIN_AGE_MS = 10 * 60_000;

interface Row {
  id: string;
  origin_path: string;
  signature: string;
  detected_at: number;
  size: number;
  sha256: string;
  found_by: string;
}

export class QuarantineStore {
  private constructor(
    private readonly store: Store,
    private readonly ownsStore: boolean,
    readonly directory: string,
    private readonly sodium: Sodium,
    private readonly identity: X25519Identity,
  ) {}

  /** Opens the quarantine of `dataDir` (creating its key on first use) and sweeps leftovers of a crash. */
  static async open(dataDir: string, store?: Store): Promise<QuarantineStore> {
    const directory = join(dataDir, QUARANTINE_DIR);
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const { sodium, identity } = await loadOrCreateQuarantineKey(join(directory, KEY_FILE));
    const opened = store ?? openStore(dataDir);
    const quarantine = new QuarantineStore(opened, store === undefined, directory, sodium, identity);
    await quarantine.sweep();
    return quarantine;
  }

  /** The key file (age identity) that opens every quarantined file. */
  get keyPath(): string {
    return join(this.directory, KEY_FILE);
  }

  list(): QuarantineEntry[] {
    return (this.store.db.prepare('SELECT * FROM scan_quarantine ORDER BY detected_at, id').all() as Row[]).map(entryOf);
  }

  /** The entry with this id, or the only one whose id starts with it (at least 4 characters). */
  get(idOrPrefix: string): QuarantineEntry {
    const key = idOrPrefix.trim().toLowerCase();
    if (!/^[0-9a-f]{4,16}$/.test(key)) throw new QuarantineError(`'${idOrPrefix}' is not a quarantine id (4 to 16 hex digits; see 'strata quarantine list')`);
    const rows = this.store.db.prepare('SELECT * FROM scan_quarantine WHERE id LIKE ? ORDER BY id').all(`${key}%`) as Row[];
    if (rows.length === 0) throw new QuarantineError(`nothing in quarantine has the id ${idOrPrefix}`);
    if (rows.length > 1) throw new QuarantineError(`the id ${idOrPrefix} is ambiguous: ${rows.map((r) => r.id).join(', ')}`);
    return entryOf(rows[0]!);
  }

  /** The age file holding an entry's content. */
  fileOf(entry: QuarantineEntry): string {
    return join(this.directory, `${entry.id}.age`);
  }

  async add(item: NewQuarantineItem): Promise<QuarantineEntry> {
    const id = randomBytes(8).toString('hex');
    const target = join(this.directory, `${id}.age`);
    let summary: { size: number; sha256: string } | null = null;
    const temp = await writeTemp(target, async (file) => {
      summary = await encryptToFile(this.sodium, [this.identity.recipient()], item.content, file);
    });
    await commitTemp(temp, target, false);
    const entry: QuarantineEntry = { id, originPath: item.originPath, signature: item.signature, detectedAt: Date.now(), size: summary!.size, sha256: summary!.sha256, foundBy: item.foundBy };
    this.store.db
      .prepare('INSERT INTO scan_quarantine (id, origin_path, signature, detected_at, size, sha256, found_by) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(entry.id, entry.originPath, entry.signature, entry.detectedAt, entry.size, entry.sha256, entry.foundBy);
    return entry;
  }

  /** Decrypts an entry's content into `write`, checking it against the recorded SHA-256. */
  async read(entry: QuarantineEntry, write: (plaintext: Uint8Array) => Promise<void>): Promise<void> {
    const path = this.fileOf(entry);
    const file = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
      throw new QuarantineError(`the quarantined file ${path} of ${entry.id} cannot be read: ${error.code ?? error.message}`);
    });
    try {
      const { size } = await file.stat();
      const summary = await decryptFromFile(this.sodium, [this.identity], file, size, write).catch((error: Error) => {
        throw new QuarantineError(`${path} does not decrypt: ${error.message}`);
      });
      if (summary.sha256 !== entry.sha256) throw new QuarantineError(`${path} decrypts to content whose SHA-256 is not the one recorded for ${entry.id}`);
    } finally {
      await file.close();
    }
  }

  /** Writes the content back (to its origin or `to`), then removes it from quarantine. */
  async restore(idOrPrefix: string, options: RestoreOptions): Promise<{ entry: QuarantineEntry; path: string }> {
    const entry = this.get(idOrPrefix);
    if (options.acknowledgeInfected !== true) {
      throw new QuarantineError(`${entry.id} holds ${entry.signature}: restoring it needs an explicit acknowledgement that it is infected`);
    }
    const target = await targetOf(entry, options.to);
    await withRestoreDirectory(target, (directory) => this.writeBack(entry, target, join(directory, basename(target)), options.overwrite === true));
    await this.remove(entry.id);
    return { entry, path: target };
  }

  /** Writes an entry's content to `hostPath` (the name of `target` through its checked folder), durably. */
  private async writeBack(entry: QuarantineEntry, target: string, hostPath: string, overwrite: boolean): Promise<void> {
    const taken = new QuarantineError(`${target} exists; restore elsewhere or allow overwriting`);
    if (!overwrite && (await exists(hostPath))) throw taken;
    try {
      const temp = await writeTemp(hostPath, async (file) => {
        let at = 0;
        await this.read(entry, async (plaintext) => {
          await file.write(plaintext, 0, plaintext.length, at);
          at += plaintext.length;
        });
      }, 0o600, restoreTempName);
      await commitTemp(temp, hostPath, overwrite);
    } catch (error) {
      if (error instanceof QuarantineError) throw error;
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw taken;
      throw new QuarantineError(`cannot restore ${entry.id} to ${target}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }

  async remove(idOrPrefix: string): Promise<QuarantineEntry> {
    const entry = this.get(idOrPrefix);
    this.store.db.prepare('DELETE FROM scan_quarantine WHERE id = ?').run(entry.id);
    await removeDurably(this.fileOf(entry));
    return entry;
  }

  close(): void {
    if (this.ownsStore) this.store.close();
  }

  /** Removes temp files and age files that have no row (left by a crash between file and row). */
  /**
   * Removes what a crash left between an encrypted file and its row. Only leftovers older than
   * SWEEP_MIN_AGE_MS go: a younger one may be another process's quarantine in progress (the agent and a
   * CLI command can have the store open at once), whose row is about to be written.
   */
  private async sweep(now = Date.now()): Promise<void> {
    const known = new Set(this.list().map((entry) => entry.id));
    for (const name of await readdir(this.directory)) {
      const id = name.endsWith('.age') ? name.slice(0, -4) : null;
      if (!name.endsWith('.tmp') && (id === null || !ID_PATTERN.test(id) || known.has(id))) continue;
      const path = join(this.directory, name);
      const modified = await stat(path).then((info) => info.mtimeMs, () => null);
      if (modified !== null && now - modified >= SWEEP_MIN_AGE_MS) await rm(path, { force: true });
    }
  }
}

/** Where a restore goes: the origin as recorded, or `to` with the links of its existing folders followed. */
async function targetOf(entry: QuarantineEntry, to: string | undefined): Promise<string> {
  const target = to === undefined ? resolve(entry.originPath) : join(await withExistingLinksFollowed(dirname(resolve(to))), basename(resolve(to)));
  if (basename(target) === '') throw new QuarantineError(`cannot restore ${entry.id} to ${target}: that is no file path`);
  return target;
}

function entryOf(row: Row): QuarantineEntry {
  return { id: row.id, originPath: row.origin_path, signature: row.signature, detectedAt: row.detected_at, size: row.size, sha256: row.sha256, foundBy: row.found_by };
}

/** Whether anything is at `path`, a link (even a dangling one) included. */
async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
