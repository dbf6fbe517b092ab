// Writes that would run too far ahead of their stream's write-behind wait here, in a cancel-safe queue
// (FltCbdq): a sequential writer faster than the encryption is held once BACKLOG_BYTES wait to be handed to
// the workers, so the writer's thread lets the workers' completions in (a writer that never yields would
// otherwise leave them idle, their results unread) and the backlog waiting for encryption stays bounded
// (what was encrypted and written leaves memory: spilled-writes.ts). Waiting writes resume in order as the
// write-behind moves on (or ends), and a cancelled one completes once with STATUS_CANCELLED. A stream's last
// cleanup waits until none of its writes waits here (settled()): an acknowledged write is part of the save.

import {
  FLT_PREOP_COMPLETE, FLT_PREOP_PENDING, FltCancelSafeQueue, type FilterManager, type FltCallbackData,
  type FltPreopStatus,
} from '../../main/fltmgr/index.js';
import { STATUS_CANCELLED, type NTSTATUS } from '../../main/io/index.js';
import type { CryptStream } from './crypt-stream.js';

interface Waiting {
  readonly data: FltCallbackData;
  readonly stream: CryptStream;
  readonly resume: () => void;
}

interface Settling {
  readonly stream: CryptStream;
  readonly resolve: () => void;
}

export class WriteBacklog {
  private readonly queue: FltCancelSafeQueue;
  private waiting: Waiting[] = [];
  private settling: Settling[] = [];
  private releasing = false;
  private again = false;

  constructor(manager: FilterManager) {
    // A cancelled write leaves the queue completed: it is forgotten here at once (never looked at again).
    this.queue = new FltCancelSafeQueue(manager, (data) => {
      this.waiting = this.waiting.filter((entry) => entry.data !== data);
      this.wakeSettled();
    });
  }

  /** A write to `stream` must wait: its write-behind is too far behind, or an earlier write waits already. */
  mustWait(stream: CryptStream): boolean {
    return isBehind(stream) || this.holds(stream);
  }

  /** Parks a write from its pre-callback; returns PENDING, or COMPLETE (data.ioStatus set) when refused. */
  park(data: FltCallbackData, stream: CryptStream, resume: () => void): FltPreopStatus {
    if (!this.queue.insert(data)) return FLT_PREOP_COMPLETE;
    this.waiting.push({ data, stream, resume });
    return FLT_PREOP_PENDING;
  }

  /** Resolves once no write to `stream` waits here. */
  settled(stream: CryptStream): Promise<void> {
    if (!this.holds(stream)) return Promise.resolve();
    return new Promise<void>((resolve) => this.settling.push({ stream, resolve }));
  }

  /** Resumes, in order, the waiting writes whose stream can take them now (called as write-behinds move on). */
  release(): void {
    // A resumed write feeds its write-behind, which calls back here: that round runs after this one.
    if (this.releasing) return void (this.again = true);
    this.releasing = true;
    try {
      do {
        this.again = false;
        this.releaseOnce();
      } while (this.again);
    } finally {
      this.releasing = false;
    }
  }

  /** Teardown: every waiting write completes with `status`, and nothing new is accepted. */
  drain(status: NTSTATUS = STATUS_CANCELLED): void {
    this.waiting = [];
    this.queue.disableAndDrain(status);
    this.wakeSettled();
  }

  private holds(stream: CryptStream): boolean {
    return this.waiting.some((entry) => entry.stream === stream);
  }

  private wakeSettled(): void {
    const still: Settling[] = [];
    for (const entry of this.settling) {
      if (this.holds(entry.stream)) still.push(entry);
      else entry.resolve();
    }
    this.settling = still;
  }

  private releaseOnce(): void {
    const held = new Set<CryptStream>();
    const still: Waiting[] = [];
    const entries = this.waiting;
    this.waiting = [];
    for (const entry of entries) {
      if (held.has(entry.stream) || isBehind(entry.stream)) {
        held.add(entry.stream);
        still.push(entry);
        continue;
      }
      if (this.queue.remove(entry.data)) entry.resume();
    }
    this.waiting = [...still, ...this.waiting];
    this.wakeSettled();
  }
}

function isBehind(stream: CryptStream): boolean {
  return stream.writeBehind?.holdsWriteAt(stream.size) ?? false;
}
