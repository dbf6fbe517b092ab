// Who may talk to the agent: requests addressed to its loopback host (no DNS rebinding), from no foreign
// web origin, carrying the token explicitly. There is no ambient credential (no cookie): cookies are not
// kept apart by port, so any other server on 127.0.0.1 the browser visits would receive one. API calls
// carry the token as a Bearer header; the event stream's upgrade (browsers cannot set headers on a
// WebSocket) may also carry it in its subprotocol list, or as ?token= for clients that can do neither.
// The GUI's own files hold no secret and need no token: the page brings it in its address fragment.

import type { IncomingMessage } from 'node:http';
import { EVENT_STREAM_PROTOCOL, EVENT_STREAM_TOKEN_PREFIX } from '../../api/index.js';
import { tokensMatch } from './api-token.js';

export type AuthVerdict = 'ok' | 'foreign-host' | 'foreign-origin' | 'no-token';

/** What a request asks for, which decides where its token may be. */
export type RequestKind = 'api-call' | 'event-stream' | 'gui-file';

export function checkRequest(request: IncomingMessage, url: URL, token: string, port: number, kind: RequestKind): AuthVerdict {
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  if (!allowedHosts.has((request.headers.host ?? '').toLowerCase())) return 'foreign-host';
  const origin = request.headers.origin;
  if (origin !== undefined && !allowedHosts.has(origin.replace(/^https?:\/\//, '').toLowerCase())) return 'foreign-origin';
  if (kind === 'gui-file') return 'ok';
  return tokensMatch(presentedToken(request, url, kind), token) ? 'ok' : 'no-token';
}

export function presentedToken(request: IncomingMessage, url: URL, kind: Exclude<RequestKind, 'gui-file'>): string | null {
  const header = request.headers.authorization;
  if (header !== undefined && /^Bearer /i.test(header)) return header.slice(7).trim();
  if (kind !== 'event-stream') return null;
  return subprotocolToken(request) ?? url.searchParams.get('token');
}

/** The token offered as the `strata.bearer.<token>` subprotocol of a WebSocket upgrade, if any. */
function subprotocolToken(request: IncomingMessage): string | null {
  const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((part) => part.trim());
  const bearer = offered.find((protocol) => protocol.startsWith(EVENT_STREAM_TOKEN_PREFIX));
  return bearer === undefined ? null : bearer.slice(EVENT_STREAM_TOKEN_PREFIX.length);
}

/** The subprotocol the agent answers an upgrade with: never the one carrying the token. */
export function chooseEventStreamProtocol(offered: Set<string>): string | false {
  return offered.has(EVENT_STREAM_PROTOCOL) ? EVENT_STREAM_PROTOCOL : false;
}
