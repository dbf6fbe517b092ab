// The WebSocket side of the event stream: every connected client gets each message once; a client that
// stops reading (more than 8 MiB queued) is dropped rather than let the agent's memory grow.

import type { WebSocket } from 'ws';
import type { StreamMessage } from '../../api/index.js';

const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export class EventStreamHub {
  private readonly clients = new Set<WebSocket>();

  add(socket: WebSocket, hello: StreamMessage): void {
    this.clients.add(socket);
    socket.on('close', () => this.clients.delete(socket));
    socket.on('error', () => this.clients.delete(socket));
    // Clients only listen; anything they send is ignored.
    socket.send(JSON.stringify(hello));
  }

  broadcast(message: StreamMessage): void {
    if (this.clients.size === 0) return;
    const text = JSON.stringify(message);
    for (const socket of this.clients) {
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        socket.terminate();
        this.clients.delete(socket);
      } else if (socket.readyState === socket.OPEN) {
        socket.send(text);
      }
    }
  }

  get size(): number {
    return this.clients.size;
  }

  closeAll(): void {
    for (const socket of this.clients) socket.close(1001, 'the agent is stopping');
    this.clients.clear();
  }
}
