// The transport of the GUI served by a headless agent (`strata agent`): same-origin HTTP and WebSocket.
// The agent swapped the ?token= of its ui link for an HttpOnly cookie, so this page never holds the
// token: requests go out without an Authorization header and the browser adds the cookie.

import { createHttpClient } from '../../../main/api/index.js';
import { Cell, MessageFanout, type AgentConnection, type LinkState } from './agent-connection.js';
import { followEventStream } from './reconnecting-stream.js';

/** fetch with the session cookie and without the client's (empty) Bearer token, which would win over it. */
const cookieSessionFetch: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  headers.delete('authorization');
  return fetch(input, { ...init, headers, credentials: 'same-origin' });
};

export function connectOverLoopback(origin: string): AgentConnection {
  const api = createHttpClient({ baseUrl: origin, token: '', fetch: cookieSessionFetch });
  const fanout = new MessageFanout();
  const link = new Cell<LinkState>('connecting');
  const stream = followEventStream({
    baseUrl: origin,
    token: '', // the cookie authenticates the upgrade request
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
