// The agent's state without its live parts: the store, the event log and the policy engine over one data
// dir. The running agent builds its runtime on top; a CLI command with no agent running uses this alone.

import { openStore, type Store } from '../store/index.js';
import { EventLog } from './events/event-log.js';
import { PolicyService } from './policy/policy-service.js';
import { PolicyStore } from './policy/policy-store.js';
import type { ProviderRegistry } from './protections/provider.js';
import { defaultProviders } from './protections/registry.js';

export interface AgentCore {
  readonly dataDir: string;
  readonly store: Store;
  readonly log: EventLog;
  readonly policy: PolicyService;
  readonly providers: ProviderRegistry;
  close(): void;
}

export function openAgentCore(dataDir: string, providers: ProviderRegistry = defaultProviders): AgentCore {
  const store = openStore(dataDir);
  // Several processes (agent, CLI) may write: wait for the lock rather than fail at once.
  store.db.pragma('busy_timeout = 5000');
  const log = new EventLog(store.db);
  const policy = new PolicyService(new PolicyStore(store.db), log, { dataDir, providers });
  return { dataDir, store, log, policy, providers, close: () => store.close() };
}
