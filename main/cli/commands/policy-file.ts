// Reading and writing policy files for `strata policy export|import`: JSON errors name the file and the
// line and column; a file nested deeper than any policy (a hostile one) is refused before anything walks
// it; problems found later are put under the file's name; exports are written atomically (temp, fsync,
// rename, fsync dir).

import { readFileSync } from 'node:fs';
import { writePrivateFileAtomic } from '../../agent/server/private-file.js';
import { ApiRequestError } from '../../api/index.js';
import { POLICY_FILE_MAX_DEPTH, tooDeepAt } from '../../api/json-depth.js';
import { CliError } from '../cli-error.js';

export function readPolicyFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read the policy file ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(`the policy file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const tooDeep = tooDeepAt(document, POLICY_FILE_MAX_DEPTH);
  if (tooDeep !== null) throw new CliError(`the policy file ${path} is invalid: nested deeper than ${POLICY_FILE_MAX_DEPTH} at ${tooDeep}`);
  return document;
}

/**
 * Runs `work` on the policy file `path` (checking, importing it) and puts the file's name in front of a
 * problem found in the document, so the user knows which file "$.folders[0].path" is in.
 */
export async function aboutPolicyFile<T>(path: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ApiRequestError) || error.code !== 'invalid-request') throw error;
    throw new ApiRequestError(error.code, `the policy file ${path}: ${error.message}`, error.path, error.problems);
  }
}

export function writePolicyFile(path: string, document: unknown): void {
  writePrivateFileAtomic(path, `${JSON.stringify(document, null, 2)}\n`);
}
