// How a CLI command reaches Strata: through the running agent's API when one runs on the data dir
// (found by its lock file, authenticated with its token file), else in-process over the same handlers.
// An agent can start while an in-process command runs: from then on the command's calls go through
// that agent, and a policy change that raced the start is refused in-process (in-process-guard.ts) and
// sent to the agent instead, so the agent applies every change.

import { setTimeout as sleep } from 'node:timers/promises';
import { ApiRequestError, bindOperations, createHttpClient, type OperationName, type RequestOf, type ResponseOf, type StrataApi } from '../api/index.js';
import { openAgentCore } from './agent-core.js';
import { createHandlers, dispatch } from './api-handlers.js';
import { AgentStartedError, refusePolicyWritesWhileAnAgentRuns } from './in-process-guard.js';
import { readAgentLock } from './server/agent-lock.js';
import { readApiToken } from './server/api-token.js';

type AgentApiConnection = { mode: 'agent'; api: StrataApi; url: string; token: string; close(): void };

/**
 * `mode` is how the command found the data dir. An 'in-process' connection still sends its calls to
 * an agent that starts later; only what needs the agent's own address (its event stream) sticks to
 * the mode.
 */
export type AgentConnection = AgentApiConnection | { mode: 'in-process'; api: StrataApi; close(): void };

/** How long to wait for an agent that holds the lock but does not listen yet. */
const STARTING_WAIT_MS = 10_000;
/** An agent that starts and stops again and again while one call runs: give up after this many. */
const MAX_HANDOVERS = 3;

export async function connect(dataDir: string): Promise<AgentConnection> {
  return (await agentConnection(dataDir)) ?? inProcessConnection(dataDir);
}

/** The running agent's API, waiting for one that is still starting; null when no agent runs. */
async function agentConnection(dataDir: string): Promise<AgentApiConnection | null> {
  let lock = readAgentLock(dataDir);
  for (let waited = 0; lock !== null && lock.url === null && waited < STARTING_WAIT_MS; waited += 100) {
    await sleep(100);
    lock = readAgentLock(dataDir);
  }
  if (lock === null) return null;
  if (lock.url === null) throw new ApiRequestError('agent-unreachable', `the Strata agent (pid ${lock.pid}) holds ${dataDir} but has not started listening`);
  const token = readApiToken(dataDir);
  return { mode: 'agent', api: createHttpClient({ baseUrl: lock.url, token }), url: lock.url, token, close: () => undefined };
}

function inProcessConnection(dataDir: string): AgentConnection {
  const core = openAgentCore(dataDir);
  refusePolicyWritesWhileAnAgentRuns(core);
  const handlers = createHandlers(core, null);
  let agent: AgentApiConnection | null = null;
  const call = async <N extends OperationName>(name: N, request: RequestOf<N>): Promise<ResponseOf<N>> => {
    for (let handover = 0; ; handover++) {
      // Looked for before every call: what needs an agent (status, live state) gets it once it runs.
      agent ??= await agentConnection(dataDir);
      if (agent !== null) return (agent.api[name] as (request: RequestOf<N>) => Promise<ResponseOf<N>>)(request);
      try {
        return await dispatch(handlers, name, request);
      } catch (error) {
        // The agent started between the look above and the write; nothing was written here.
        if (!(error instanceof AgentStartedError) || handover === MAX_HANDOVERS) throw error;
      }
    }
  };
  return { mode: 'in-process', api: bindOperations(call), close: () => core.close() };
}
