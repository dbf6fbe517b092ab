// The transport of the GUI served by a headless agent (`strata agent`): same-origin HTTP and WebSocket.
// The agent swapped the ?token= of its ui link for an HttpOnly cookie, so this page never holds the
// token: requests go out without an Authorization header and the browser adds the cookie.

import { createHttpClient, openEventStream, type EventStream } from '../../../main/api/index.js';
import { Cell, MessageFanout, type AgentConnection, type LinkState } from './agent-connection.js';

const RETRY_DELAYS_MS = [500, 1000, 2000, 5000, 10000];

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
  let stream: EventStream | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let closed = false;

  const open = (): void => {
    stream = openEventStream({
      baseUrl: origin,
      token: '', // the cookie authenticates the upgrade request
      onMessage: (message) => {
        failures = 0;
        link.set('live');
        fanout.publish(message);
      },
      onClose: () => {
        if (closed) return;
        link.set('reconnecting');
        const delay = RETRY_DELAYS_MS[Math.min(failures++, RETRY_DELAYS_MS.length - 1)];
        retry = setTimeout(open, delay);
      },
    });
  };
  open();

  return {
    api,
    desktop: null,
    subscribe: (listener) => fanout.subscribe(listener),
    link,
    close: () => {
      closed = true;
      clearTimeout(retry);
      stream?.close();
    },
  };
}
