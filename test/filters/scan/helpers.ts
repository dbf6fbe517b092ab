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

/** xorshift32: a small deterministic generator for reproducible property tests. */
export function seededRandom(seed: number): { next(): number; int(n: number): number; bytes(n: number): Uint8Array } {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    bytes: (n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
      return out;
    },
  };
}

export const hex = (text: string): string => Buffer.from(text, 'latin1').toString('hex');
export const bytes = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));
