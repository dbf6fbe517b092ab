// Which signatures a CLI scan uses: the databases given with --db (like clamscan -d), else those
// imported into the data dir with `strata sigs import`; the built-in EICAR signature unless turned off.

import { openStore } from '../../../store/index.js';
import { ScanEngine } from '../../../../filters/scan/index.js';
import { SignatureLibrary } from '../../../../filters/scan/storage/signature-library.js';
import { SignatureError } from '../../../../filters/scan/signatures/signature-error.js';
import { CliError, EXIT_USAGE } from '../../cli-error.js';

export interface EngineChoice {
  readonly engine: ScanEngine;
  /** Where the signatures came from, for the summary. */
  readonly sources: readonly string[];
}

export async function chooseEngine(dataDir: string, databases: readonly string[], builtins: boolean): Promise<EngineChoice> {
  let paths = [...databases];
  if (paths.length === 0) {
    const store = openStore(dataDir);
    try {
      paths = new SignatureLibrary(dataDir, store.db).paths();
    } finally {
      store.close();
    }
  }
  const engine = new ScanEngine();
  try {
    await engine.load(paths, { builtins });
  } catch (error) {
    // clamscan's exit code for a database it cannot load is 2, as for any other error.
    if (error instanceof SignatureError) throw new CliError(`cannot load the signatures: ${error.message}`, EXIT_USAGE);
    throw error;
  }
  return { engine, sources: [...(builtins ? ['(built-in)'] : []), ...paths] };
}

/** commander's collector for a repeatable option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
