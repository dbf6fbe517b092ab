// Who may talk to the agent: requests addressed to its loopback host (no DNS rebinding), from no foreign
// web origin, carrying the token as a Bearer header, the session cookie, or a ?token= parameter.

import type { IncomingMessage } from 'node:http';
import { tokensMatch } from './api-token.js';

export const SESSION_COOKIE = 'strata_token';

export type AuthVerdict = 'ok' | 'foreign-host' | 'foreign-origin' | 'no-token';

export function checkRequest(request: IncomingMessage, url: URL, token: string, port: number): AuthVerdict {
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  if (!allowedHosts.has((request.headers.host ?? '').toLowerCase())) return 'foreign-host';
  const origin = request.headers.origin;
  if (origin !== undefined && !allowedHosts.has(origin.replace(/^https?:\/\//, '').toLowerCase())) return 'foreign-origin';
  return tokensMatch(presentedToken(request, url), token) ? 'ok' : 'no-token';
}

export function presentedToken(request: IncomingMessage, url: URL): string | null {
  const header = request.headers.authorization;
  if (header !== undefined && /^Bearer /i.test(header)) return header.slice(7).trim();
  const cookie = (request.headers.cookie ?? '')
    .split(';')
    .map((part) => part.trim().split('='))
    .find(([name]) => name === SESSION_COOKIE);
  if (cookie?.[1] !== undefined) return decodeURIComponent(cookie[1]);
  return url.searchParams.get('token');
}
