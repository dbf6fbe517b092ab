// Brings up the agent for the desktop app: if one already runs on the data dir (`strata agent` in a
// terminal, or a service), the app becomes its client; else the app runs it in its own main process.
// Either way the app talks to it through the same loopback API as every other client.

import { createHttpClient, type StrataApi } from '../main/api/index.js';
import { startAgent, type AgentOptions } from '../main/agent/agent-service.js';
import { readAgentLock } from '../main/agent/server/agent-lock.js';
import { readApiToken } from '../main/agent/server/api-token.js';

export interface AgentLink {
  readonly api: StrataApi;
  readonly url: string;
  readonly token: string;
  /** True when this process runs the agent (and stops it on quit). */
  readonly owned: boolean;
  stop(): Promise<void>;
}

/** `options` tunes an agent this app starts (tests pass a temp media root); a running agent is joined as it is. */
export async function bringUpAgent(dataDir: string, version: string, options: Partial<AgentOptions> = {}): Promise<AgentLink> {
  const running = readAgentLock(dataDir);
  if (running?.url) {
    const token = readApiToken(dataDir);
    return { api: createHttpClient({ baseUrl: running.url, token }), url: running.url, token, owned: false, stop: async () => undefined };
  }
  const agent = await startAgent({ ...options, dataDir, version });
  return {
    api: createHttpClient({ baseUrl: agent.url, token: agent.token }),
    url: agent.url,
    token: agent.token,
    owned: true,
    stop: () => agent.stop(),
  };
}
