// Loads ClamAV databases from files and folders into one SignatureSet, all or nothing: the first
// malformed line anywhere fails the whole load (naming file and line), so a caller swaps in the new set
// only when every file read cleanly and the previous set stays active otherwise.

import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { readCvdContainer } from './cvd-container.js';
import type { ParsedLines } from './database-lines.js';
import { parseBodyDatabase } from './parse-body-database.js';
import { parseHashDatabase } from './parse-hash-database.js';
import { parseLogicalDatabase } from './parse-logical-database.js';
import { SignatureError } from './signature-error.js';
import type { DatabaseSummary, SignatureSet } from './signature-set.js';
import type { BodySignature, HashSignature, LogicalSignature, SignatureNotice } from './signature-types.js';

/** The extensions Strata reads. */
export const DATABASE_EXTENSIONS = ['.hdb', '.hsb', '.ndb', '.ldb', '.cvd', '.cld'] as const;
/** ClamAV formats Strata does not read: listed as a notice when met in a folder or container. */
const OTHER_CLAMAV_EXTENSIONS = new Set([
  '.mdb', '.msb', '.imp', '.fp', '.sfp', '.ign', '.ign2', '.wdb', '.pdb', '.gdb', '.cdb', '.crb', '.idb', '.ftm',
  '.cfg', '.info', '.yar', '.yara', '.hdu', '.hsu', '.ndu', '.ldu', '.mdu', '.msu', '.cat', '.crtdb', '.pwdb',
]);

class SetBuilder {
  readonly hashes: HashSignature[] = [];
  readonly bodies: BodySignature[] = [];
  readonly logicals: LogicalSignature[] = [];
  readonly notices: SignatureNotice[] = [];
  readonly databases: DatabaseSummary[] = [];

  add<T>(file: string, parsed: ParsedLines<T>, into: T[], version?: number): void {
    into.push(...parsed.signatures);
    this.notices.push(...parsed.notices);
    this.databases.push({ file, signatures: parsed.signatures.length, skipped: parsed.notices.length, ...(version === undefined ? {} : { version }) });
  }

  build(): SignatureSet {
    return { hashes: this.hashes, bodies: this.bodies, logicals: this.logicals, notices: this.notices, databases: this.databases };
  }
}

/** Reads every database named (folders: the database files directly inside them, by name). */
export async function loadSignatureDatabases(paths: readonly string[]): Promise<SignatureSet> {
  const builder = new SetBuilder();
  for (const path of paths) {
    const info = await statOrFail(path);
    if (info.isDirectory()) {
      const names = (await readdir(path)).sort();
      for (const name of names) {
        const extension = extname(name).toLowerCase();
        if (isDatabaseExtension(extension)) await loadFile(builder, join(path, name), extension);
        else if (OTHER_CLAMAV_EXTENSIONS.has(extension)) noteUnread(builder, join(path, name), extension);
      }
    } else {
      const extension = extname(path).toLowerCase();
      if (!isDatabaseExtension(extension)) {
        throw new SignatureError(path, null, `not a database Strata reads: expected one of ${DATABASE_EXTENSIONS.join(' ')}`);
      }
      await loadFile(builder, path, extension);
    }
  }
  return builder.build();
}

/** Parses one database held in memory (a file, or a member of a container). */
async function loadDatabaseBytes(builder: SetBuilder, file: string, extension: string, bytes: Uint8Array): Promise<void> {
  if (extension === '.cvd' || extension === '.cld') {
    const { header, members } = await readCvdContainer(bytes, file, extension === '.cvd' ? 'cvd' : 'cld');
    for (const member of members) {
      const memberExtension = extname(member.name).toLowerCase();
      const name = `${file}/${basename(member.name)}`;
      if (memberExtension === '.cvd' || memberExtension === '.cld') throw new SignatureError(name, null, 'a container inside a container');
      if (isDatabaseExtension(memberExtension)) await loadText(builder, name, memberExtension, member.bytes, header.version);
      else if (OTHER_CLAMAV_EXTENSIONS.has(memberExtension)) noteUnread(builder, name, memberExtension);
    }
    return;
  }
  await loadText(builder, file, extension, bytes);
}

async function loadText(builder: SetBuilder, file: string, extension: string, bytes: Uint8Array, version?: number): Promise<void> {
  const text = decodeText(bytes, file);
  switch (extension) {
    case '.hdb':
    case '.hsb':
      return builder.add(file, parseHashDatabase(text, file), builder.hashes, version);
    case '.ndb':
      return builder.add(file, parseBodyDatabase(text, file), builder.bodies, version);
    case '.ldb':
      return builder.add(file, parseLogicalDatabase(text, file), builder.logicals, version);
  }
}

async function loadFile(builder: SetBuilder, path: string, extension: string): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new SignatureError(path, null, `cannot be read: ${(error as Error).message}`);
  }
  await loadDatabaseBytes(builder, path, extension, bytes);
}

function noteUnread(builder: SetBuilder, file: string, extension: string): void {
  builder.notices.push({ file, line: 0, message: `${extension} databases are not read by Strata; skipped` });
}

function isDatabaseExtension(extension: string): boolean {
  return (DATABASE_EXTENSIONS as readonly string[]).includes(extension);
}

async function statOrFail(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    throw new SignatureError(path, null, `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeText(bytes: Uint8Array, file: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    // ClamAV databases are ASCII; a name in Latin-1 is still readable, a binary file is not a database.
    if (bytes.includes(0)) throw new SignatureError(file, null, 'contains NUL bytes: not a text database');
    return Buffer.from(bytes).toString('latin1');
  }
}
