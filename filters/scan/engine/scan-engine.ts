// The active signature database of a running filter (or scan), swapped as a whole: a new set is read
// and compiled first, and only a complete success replaces the current one, so a malformed database
// leaves the previous set protecting. The generation lets cached verdicts notice the swap.

import { loadSignatureDatabases } from '../signatures/load-databases.js';
import { EMPTY_SIGNATURE_SET, type SignatureSet } from '../signatures/signature-set.js';
import { CompiledDatabase, type CompileOptions } from './compiled-database.js';

export class ScanEngine {
  private current: CompiledDatabase;
  private generationNumber = 1;

  constructor(initial: CompiledDatabase = new CompiledDatabase(EMPTY_SIGNATURE_SET)) {
    this.current = initial;
  }

  get database(): CompiledDatabase {
    return this.current;
  }

  /** Changes whenever the database does. */
  get generation(): number {
    return this.generationNumber;
  }

  /** Reads, compiles and activates the databases at `paths`; on any error throws and keeps the current set. */
  async load(paths: readonly string[], options: CompileOptions = {}): Promise<SignatureSet> {
    const set = await loadSignatureDatabases(paths);
    this.use(new CompiledDatabase(set, options));
    return set;
  }

  use(database: CompiledDatabase): void {
    this.current = database;
    this.generationNumber++;
  }
}

/** An engine with only the built-in signatures (EICAR). */
export function builtinEngine(): ScanEngine {
  return new ScanEngine(new CompiledDatabase(EMPTY_SIGNATURE_SET));
}

