// Picks the transport: the preload bridge when the page runs in the desktop app, else the agent that
// served the page. Only this file knows that there are two.

import type { AgentConnection } from './agent-connection.js';
import { connectThroughBridge } from './bridge-connection.js';
import { connectOverLoopback } from './loopback-connection.js';
import { tabStorage, takePageToken } from './page-token.js';
import { BRIDGE_GLOBAL, type StrataBridge } from './strata-bridge.js';

export function connectToAgent(): AgentConnection {
  const bridge = (window as unknown as Record<string, StrataBridge | undefined>)[BRIDGE_GLOBAL];
  if (bridge !== undefined) return connectThroughBridge(bridge);
  return connectOverLoopback(window.location.origin, takePageToken(window.location, window.history, tabStorage()));
}
