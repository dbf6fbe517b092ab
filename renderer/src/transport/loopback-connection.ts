// The transport of the GUI served by a headless agent (`strata agent`): same-origin HTTP and WebSocket,
// authenticated by the token the page took from its address (page-token.ts). Every API call carries it
// as a Bearer header and the event stream as its subprotocol: nothing the browser would send by itself.

import { createHttpClient } from '../../../main/api/index.js';
import { Cell, MessageFanout, type AgentConnection, type LinkState } from './agent-connection.js';
import { followEventStream } from './reconnecting-stream.js';

/** `token` null: the page was opened without the agent's link, and the agent will refuse it in words. */
export function connectOverLoopback(origin: string, token: string | null): AgentConnection {
  const api = createHttpClient({ baseUrl: origin, token: token ?? '' });
  const fanout = new MessageFanout();
  const link = new Cell<LinkState>('connecting');
  const stream = followEventStream({
    baseUrl: origin,
    token: token ?? '',
    onMessage: (message) => fanout.publish(message),
    onLinkChange: (live) => link.set(live ? 'live' : 'reconnecting'),
  });

  return {
    api,
    desktop: null,
    subscribe: (listener) => fanout.subscribe(listener),
    link,
    close: () => stream.close(),
  };
}
