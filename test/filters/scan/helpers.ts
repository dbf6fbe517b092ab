// Shared helpers of the scan filter's tests: temp folders, databases written as real files and loaded
// through the real loader, and a seeded random source so property tests are reproducible.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledDatabase, type CompileOptions } from '../../../filters/scan/engine/compiled-database.js';
import { loadSignatureDatabases } from '../../../filters/scan/signatures/load-databases.js';
import type { SignatureSet } from '../../../filters/scan/signatures/signature-set.js';

export function tempDir(t: { after(fn: () => void): void }, prefix = 'strata-scan-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes each named database file into `dir`. */
export function writeDatabases(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
}

/** Writes the files into a fresh temp folder and loads that folder with the real loader. */
export async function loadSet(t: { after(fn: () => void): void }, files: Record<string, string | Uint8Array>): Promise<SignatureSet> {
  const dir = tempDir(t, 'strata-sigs-');
  writeDatabases(dir, files);
  return loadSignatureDatabases([dir]);
}

export async function compileFiles(t: { after(fn: () => void): void }, files: Record<string, string | Uint8Array>, options: CompileOptions = { builtins: false }): Promise<CompiledDatabase> {
  return new CompiledDatabase(await loadSet(t, files), options);
}

/** The seeded generator the corpus generator uses too, so property tests are reproducible. */
export { seededRandom } from '../../../bench/scan-corpus.js';

export const hex = (text: string): string => Buffer.from(text, 'latin1').toString('hex');
export const bytes = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));
