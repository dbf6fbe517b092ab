// Subscribes to the agent's WebSocket event stream with the platform's WebSocket (browsers, Node 22).
// The token travels as a query parameter because browsers cannot set headers on a WebSocket.

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

export function eventStreamUrl(baseUrl: string, token: string): string {
  const url = new URL('/api/events', baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('token', token);
  return url.toString();
}

export function openEventStream(options: EventStreamOptions): EventStream {
  const Socket = options.WebSocket ?? globalThis.WebSocket;
  const socket = new Socket(eventStreamUrl(options.baseUrl, options.token));
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
