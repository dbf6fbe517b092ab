// How a CLI command reaches Strata: through the running agent's API when one runs on the data dir
// (found by its lock file, authenticated with its token file), else in-process over the same handlers.

import { setTimeout as sleep } from 'node:timers/promises';
import { ApiRequestError, createHttpClient, type StrataApi } from '../api/index.js';
import { openAgentCore } from './agent-core.js';
import { createHandlers, createInProcessClient } from './api-handlers.js';
import { readAgentLock } from './server/agent-lock.js';
import { readApiToken } from './server/api-token.js';

export type AgentConnection =
  | { mode: 'agent'; api: StrataApi; url: string; token: string; close(): void }
  | { mode: 'in-process'; api: StrataApi; close(): void };

/** How long to wait for an agent that holds the lock but does not listen yet. */
const STARTING_WAIT_MS = 10_000;

export async function connect(dataDir: string): Promise<AgentConnection> {
  let lock = readAgentLock(dataDir);
  for (let waited = 0; lock !== null && lock.url === null && waited < STARTING_WAIT_MS; waited += 100) {
    await sleep(100);
    lock = readAgentLock(dataDir);
  }
  if (lock !== null) {
    if (lock.url === null) throw new ApiRequestError('agent-unreachable', `the Strata agent (pid ${lock.pid}) holds ${dataDir} but has not started listening`);
    const token = readApiToken(dataDir);
    return { mode: 'agent', api: createHttpClient({ baseUrl: lock.url, token }), url: lock.url, token, close: () => undefined };
  }
  const core = openAgentCore(dataDir);
  return { mode: 'in-process', api: createInProcessClient(createHandlers(core, null)), close: () => core.close() };
}
