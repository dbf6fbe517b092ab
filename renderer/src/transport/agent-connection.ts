// What every view gets from its host: the typed API client, the agent's live messages and, inside the
// desktop app, the desktop-only services. The web page and the Electron window differ only in how
// these are carried (loopback HTTP + WebSocket, or the preload bridge), never in what they mean.

import type { StrataApi, StreamMessage } from '../../../main/api/index.js';
import type { DesktopSettings } from './strata-bridge.js';

/** live: messages arrive; reconnecting: the stream dropped and is being reopened. */
export type LinkState = 'connecting' | 'live' | 'reconnecting';

export interface DesktopHost {
  pickFolder(): Promise<string | null>;
  getSettings(): Promise<DesktopSettings>;
  setStartAtLogin(enabled: boolean): Promise<DesktopSettings>;
}

export interface AgentConnection {
  readonly api: StrataApi;
  /** Null in a plain browser. */
  readonly desktop: DesktopHost | null;
  subscribe(listener: (message: StreamMessage) => void): () => void;
  readonly link: Observable<LinkState>;
  close(): void;
}

export interface Observable<T> {
  get(): T;
  watch(listener: (value: T) => void): () => void;
}

/** A value with listeners; set() notifies them only on change. */
export class Cell<T> implements Observable<T> {
  private readonly listeners = new Set<(value: T) => void>();
  constructor(private value: T) {}
  get(): T {
    return this.value;
  }
  set(value: T): void {
    if (Object.is(value, this.value)) return;
    this.value = value;
    for (const listener of [...this.listeners]) listener(value);
  }
  watch(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Fans one source of stream messages out to every view that listens. */
export class MessageFanout {
  private readonly listeners = new Set<(message: StreamMessage) => void>();
  subscribe(listener: (message: StreamMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  publish(message: StreamMessage): void {
    for (const listener of [...this.listeners]) listener(message);
  }
}
