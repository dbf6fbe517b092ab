// Operations that need the vault key while it is locked wait here, in a cancel-safe queue (FltCbdq): they
// resume when the vault is unlocked, fail with STATUS_FILE_ENCRYPTED when the bounded wait runs out, and
// complete once with STATUS_CANCELLED when cancelled meanwhile.

import {
  FLT_PREOP_COMPLETE, FLT_PREOP_PENDING, FltCancelSafeQueue, type FilterManager, type FltCallbackData,
  type FltPreopStatus,
} from '../../main/fltmgr/index.js';
import { STATUS_CANCELLED, STATUS_FILE_ENCRYPTED, type NTSTATUS } from '../../main/io/index.js';
import type { KeyRing } from './key-ring.js';

interface Waiting {
  resume: () => void;
  timer: NodeJS.Timeout;
}

export class LockedWait {
  private readonly queue: FltCancelSafeQueue;
  private readonly waiting = new Map<FltCallbackData, Waiting>();
  private readonly stopListening: () => void;

  constructor(private readonly manager: FilterManager, keyRing: KeyRing, private readonly timeoutMs: number) {
    this.queue = new FltCancelSafeQueue(manager);
    this.stopListening = keyRing.onUnlock(() => this.releaseAll());
  }

  get length(): number {
    return this.queue.length;
  }

  /**
   * Parks an operation from its pre-callback; `resume` runs after unlock. Returns what the pre-callback
   * returns: PENDING, or COMPLETE (with data.ioStatus set) when the queue refused it.
   */
  park(data: FltCallbackData, resume: () => void): FltPreopStatus {
    if (!this.queue.insert(data)) return FLT_PREOP_COMPLETE;
    const timer = setTimeout(() => this.expire(data), this.timeoutMs);
    this.waiting.set(data, { resume, timer });
    return FLT_PREOP_PENDING;
  }

  /** Teardown: everything still waiting completes with `status`, and nothing new is accepted. */
  drain(status: NTSTATUS = STATUS_CANCELLED): void {
    this.stopListening();
    for (const entry of this.waiting.values()) clearTimeout(entry.timer);
    this.waiting.clear();
    this.queue.disableAndDrain(status);
  }

  private releaseAll(): void {
    for (let data = this.queue.removeNext(); data !== null; data = this.queue.removeNext()) {
      const entry = this.waiting.get(data);
      this.waiting.delete(data);
      if (entry === undefined) continue;
      clearTimeout(entry.timer);
      entry.resume();
    }
  }

  private expire(data: FltCallbackData): void {
    this.waiting.delete(data);
    // Already taken out by an unlock or a cancel: nothing to do.
    if (!this.queue.remove(data)) return;
    data.ioStatus.status = STATUS_FILE_ENCRYPTED;
    data.ioStatus.information = 0;
    this.manager.completePendedPreOperation(data, FLT_PREOP_COMPLETE);
  }
}
