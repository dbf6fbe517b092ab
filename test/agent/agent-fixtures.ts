// Shared ground for agent tests: temp folders that clean themselves up, and an in-process API client
// over a real data dir (real SQLite, the real handlers).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHandlers, createInProcessClient } from '../../main/agent/api-handlers.js';
import { openAgentCore, type AgentCore } from '../../main/agent/agent-core.js';
import type { ProviderRegistry } from '../../main/agent/protections/provider.js';
import { ApiRequestError, type StrataApi } from '../../main/api/index.js';

export interface Cleanup {
  after(fn: () => void | Promise<void>): void;
}

export function tempDir(t: Cleanup, prefix = 'strata-agent-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function inProcess(t: Cleanup, dataDir = join(tempDir(t), 'data'), providers?: ProviderRegistry): { core: AgentCore; api: StrataApi } {
  const core = openAgentCore(dataDir, providers);
  t.after(() => core.close());
  return { core, api: createInProcessClient(createHandlers(core, null)) };
}

/** Asserts that `promise` fails with an ApiRequestError of `code` whose path is `path`. */
export async function rejectsWith(promise: Promise<unknown>, code: string, path: string | RegExp | null, message?: RegExp): Promise<ApiRequestError> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof ApiRequestError)) throw error;
    if (error.code !== code) throw new Error(`expected code ${code}, got ${error.code}: ${error.message}`);
    if (path instanceof RegExp ? !(error.path !== null && path.test(error.path)) : error.path !== path) {
      throw new Error(`expected path ${String(path)}, got ${error.path}: ${error.message}`);
    }
    if (message !== undefined && !message.test(error.message)) throw new Error(`message ${JSON.stringify(error.message)} does not match ${message}`);
    return error;
  }
  throw new Error(`expected an ApiRequestError ${code}, but the call succeeded`);
}
