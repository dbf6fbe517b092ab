// A CLI command that found no agent changes the policy in-process. An agent may start on the data dir
// meanwhile, and once it has read the policy it would never hear of a change committed here. So this
// connection's policy writes check, inside their own write transaction, that no live agent holds the
// data dir, and fail with AgentStartedError when one does; the client then sends the request through
// that agent (agent-client.ts).
//
// The check runs in temporary triggers (this connection only) on every policy table. The other half is
// the agent's: it reads the policy under the store's write lock, after taking its lock file
// (runtime/agent-runtime.ts). A write that found no lock file committed before that read and is read by
// it; a write made after it finds the lock file. No interleaving loses a change.

import type { AgentCore } from './agent-core.js';
import { readAgentLock, type AgentLockInfo } from './server/agent-lock.js';

/** What the running agent reads at start and keeps live (migration 5). */
const POLICY_TABLES = ['agent_folders', 'agent_protections', 'agent_tiers', 'agent_signature_sets', 'agent_policy_settings'] as const;
const CHECK_FUNCTION = 'strata_refuse_if_an_agent_runs';

export class AgentStartedError extends Error {
  override readonly name = 'AgentStartedError';
  constructor(readonly dataDir: string, readonly agent: AgentLockInfo) {
    super(`a Strata agent (pid ${agent.pid}) started on ${dataDir} while this command ran without one; the change was not made in-process, so that the agent applies it`);
  }
}

/** From now on, a policy write on `core`'s connection throws AgentStartedError (and rolls back) while an agent runs. */
export function refusePolicyWritesWhileAnAgentRuns(core: AgentCore): void {
  const { db } = core.store;
  db.function(CHECK_FUNCTION, { deterministic: false }, () => {
    const agent = readAgentLock(core.dataDir);
    if (agent !== null) throw new AgentStartedError(core.dataDir, agent);
    return 0;
  });
  for (const table of POLICY_TABLES) {
    for (const operation of ['INSERT', 'UPDATE', 'DELETE']) {
      db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS strata_in_process_${table}_${operation.toLowerCase()} BEFORE ${operation} ON main.${table} BEGIN SELECT ${CHECK_FUNCTION}(); END`);
    }
  }
}
