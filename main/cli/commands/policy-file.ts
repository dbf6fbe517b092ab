// Reading and writing policy files for `strata policy export|import`: JSON errors name the file and the
// line and column; exports are written atomically (temp, fsync, rename, fsync dir).

import { readFileSync } from 'node:fs';
import { writePrivateFileAtomic } from '../../agent/server/private-file.js';
import { CliError } from '../cli-error.js';

export function readPolicyFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read the policy file ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(`the policy file ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

export function writePolicyFile(path: string, document: unknown): void {
  writePrivateFileAtomic(path, `${JSON.stringify(document, null, 2)}\n`);
}
