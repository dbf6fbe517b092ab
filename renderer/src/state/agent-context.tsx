// Hands the one agent connection to every view, with hooks for its live messages and link state.

import { createContext, useContext, useEffect, useRef, useSyncExternalStore, type ReactNode } from 'react';
import type { StreamMessage } from '../../../main/api/index.js';
import type { AgentConnection, LinkState } from '../transport/agent-connection.js';

const AgentContext = createContext<AgentConnection | null>(null);

export function AgentProvider({ connection, children }: { connection: AgentConnection; children: ReactNode }) {
  return <AgentContext.Provider value={connection}>{children}</AgentContext.Provider>;
}

export function useAgent(): AgentConnection {
  const connection = useContext(AgentContext);
  if (connection === null) throw new Error('useAgent outside AgentProvider');
  return connection;
}

export function useLinkState(): LinkState {
  const { link } = useAgent();
  return useSyncExternalStore((notify) => link.watch(notify), () => link.get());
}

/** Calls `listener` for every stream message while the component is mounted (always its latest version). */
export function useStreamMessages(listener: (message: StreamMessage) => void): void {
  const { subscribe } = useAgent();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => subscribe((message) => latest.current(message)), [subscribe]);
}
