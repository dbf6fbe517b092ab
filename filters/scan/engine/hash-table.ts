// Hash signatures indexed for the end of a scan: one map per algorithm from digest to its (size, name)
// entries, plus what lets a scan of known size skip computing a digest no signature could match.

import type { HashAlgorithm, HashSignature } from '../signatures/signature-types.js';

interface HashEntry {
  readonly size: number | null;
  readonly name: string;
}

class AlgorithmTable {
  readonly byDigest = new Map<string, HashEntry[]>();
  readonly sizes = new Set<number>();
  anySize = false;

  add(signature: HashSignature): void {
    const entries = this.byDigest.get(signature.hash);
    const entry = { size: signature.size, name: signature.name };
    if (entries === undefined) this.byDigest.set(signature.hash, [entry]);
    else entries.push(entry);
    if (signature.size === null) this.anySize = true;
    else this.sizes.add(signature.size);
  }
}

export class HashTable {
  private readonly tables = new Map<HashAlgorithm, AlgorithmTable>();

  constructor(signatures: readonly HashSignature[]) {
    for (const signature of signatures) {
      let table = this.tables.get(signature.algorithm);
      if (table === undefined) this.tables.set(signature.algorithm, (table = new AlgorithmTable()));
      table.add(signature);
    }
  }

  /** The algorithms worth computing for data of `size` bytes (null: not known yet). */
  algorithmsFor(size: number | null): HashAlgorithm[] {
    const wanted: HashAlgorithm[] = [];
    for (const [algorithm, table] of this.tables) {
      if (size === null || table.anySize || table.sizes.has(size)) wanted.push(algorithm);
    }
    return wanted;
  }

  /** The name of a signature matching `digest` of data of `size` bytes, or null. */
  lookup(algorithm: HashAlgorithm, digest: string, size: number): string | null {
    const entries = this.tables.get(algorithm)?.byDigest.get(digest);
    if (entries === undefined) return null;
    for (const entry of entries) if (entry.size === null || entry.size === size) return entry.name;
    return null;
  }
}
