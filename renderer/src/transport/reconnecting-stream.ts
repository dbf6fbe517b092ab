// Follows the agent's event stream, reopening it when it drops (the agent may be restarted), and hands
// each validated message on. Used by the loopback page and by the desktop app's main process alike.

import { openEventStream, type EventStream, type StreamMessage } from '../../../main/api/index.js';

const RETRY_DELAYS_MS = [500, 1000, 2000, 5000, 10000];

export interface FollowOptions {
  baseUrl: string;
  token: string;
  onMessage: (message: StreamMessage) => void;
  onLinkChange?: (live: boolean) => void;
}

export function followEventStream(options: FollowOptions): { close(): void } {
  let stream: EventStream | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let closed = false;
  const open = () => {
    stream = openEventStream({
      baseUrl: options.baseUrl,
      token: options.token,
      onMessage: (message) => {
        failures = 0;
        options.onLinkChange?.(true);
        options.onMessage(message);
      },
      onClose: () => {
        if (closed) return;
        options.onLinkChange?.(false);
        timer = setTimeout(open, RETRY_DELAYS_MS[Math.min(failures++, RETRY_DELAYS_MS.length - 1)]);
      },
    });
  };
  open();
  return {
    close: () => {
      closed = true;
      clearTimeout(timer);
      stream?.close();
    },
  };
}
