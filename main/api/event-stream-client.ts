// Subscribes to the agent's WebSocket event stream with the platform's WebSocket (browsers, Node 22).
// Browsers cannot set headers on a WebSocket, so the token travels in the one header they do let a page
// choose: the subprotocol list, as `strata.bearer.<token>` beside `strata.events` (the agent answers with
// the latter). Never in the URL, where it would land in logs and histories.

import { StreamMessage } from './stream-schemas.js';

export interface EventStreamOptions {
  baseUrl: string;
  token: string;
  onMessage: (message: StreamMessage) => void;
  /** A message that does not match the API, or a socket error. */
  onError?: (error: Error) => void;
  onClose?: (code: number, reason: string) => void;
  WebSocket?: typeof globalThis.WebSocket;
}

export interface EventStream {
  /** Resolves once the socket is open (rejects if it cannot open). */
  readonly opened: Promise<void>;
  close(): void;
}

export const EVENT_STREAM_PROTOCOL = 'strata.events';
export const EVENT_STREAM_TOKEN_PREFIX = 'strata.bearer.';

export function eventStreamUrl(baseUrl: string): string {
  const url = new URL('/api/events', baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** The subprotocols a client offers: the stream's own, and the token (base64url, so a valid protocol name). */
export function eventStreamProtocols(token: string): string[] {
  if (!/^[A-Za-z0-9_-]*$/.test(token)) throw new Error("the API token cannot be offered to the event stream: it holds characters other than letters, digits, '-' and '_'");
  return [EVENT_STREAM_PROTOCOL, `${EVENT_STREAM_TOKEN_PREFIX}${token}`];
}

export function openEventStream(options: EventStreamOptions): EventStream {
  const Socket = options.WebSocket ?? globalThis.WebSocket;
  const socket = new Socket(eventStreamUrl(options.baseUrl), eventStreamProtocols(options.token));
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error(`cannot open the event stream of ${options.baseUrl}`)), { once: true });
  });
  opened.catch(() => undefined); // the caller may not await it; errors also reach onError
  socket.addEventListener('message', (event: MessageEvent) => {
    let parsed;
    try {
      parsed = StreamMessage.safeParse(JSON.parse(String(event.data)));
    } catch (err) {
      options.onError?.(new Error(`the event stream sent a message that is not JSON: ${(err as Error).message}`));
      return;
    }
    if (parsed.success) options.onMessage(parsed.data);
    else options.onError?.(new Error(`the event stream sent a message that does not match the API: ${parsed.error.issues[0]?.message ?? ''}`));
  });
  socket.addEventListener('error', () => options.onError?.(new Error('the event stream failed')));
  socket.addEventListener('close', (event: CloseEvent) => options.onClose?.(event.code, event.reason));
  return { opened, close: () => socket.close() };
}
