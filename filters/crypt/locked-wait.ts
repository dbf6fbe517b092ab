// Operations that need the vault key while it is locked wait here, in a cancel-safe queue (FltCbdq): they
// resume when the vault is unlocked, fail with STATUS_FILE_ENCRYPTED when the bounded wait runs out, and
// complete once with STATUS_CANCELLED when cancelled meanwhile or when their handle is closed. A cleanup
// never waits in the queue (it must reach the file system whatever happens): it waits for the key with
// untilUnlocked() and fails its save, not itself, when the wait runs out.

import {
  FLT_PREOP_COMPLETE, FLT_PREOP_PENDING, FltCancelSafeQueue, type FilterManager, type FltCallbackData,
  type FltPreopStatus,
} from '../../main/fltmgr/index.js';
import { STATUS_CANCELLED, STATUS_FILE_ENCRYPTED, type FileObject, type NTSTATUS } from '../../main/io/index.js';
import type { KeyRing } from './key-ring.js';

interface Waiting {
  resume: () => void;
  timer: NodeJS.Timeout;
  /** Whose handle it came on (read at park time: the request is not touched once it is completed). */
  fileObject: FileObject | null;
}

type UnlockWaiter = (unlocked: boolean) => void;

export class LockedWait {
  private readonly queue: FltCancelSafeQueue;
  private readonly waiting = new Map<FltCallbackData, Waiting>();
  private readonly unlockWaiters = new Set<UnlockWaiter>();
  private readonly stopListening: () => void;

  constructor(private readonly manager: FilterManager, private readonly keyRing: KeyRing, private readonly timeoutMs: number) {
    // A request cancelled in the queue is completed there: it is forgotten here at once.
    this.queue = new FltCancelSafeQueue(manager, (data) => this.forget(data));
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
    this.waiting.set(data, { resume, timer, fileObject: data.fileObject });
    return FLT_PREOP_PENDING;
  }

  /** True once the vault is unlocked (at once if it is), false when the bounded wait runs out or on teardown. */
  untilUnlocked(): Promise<boolean> {
    if (this.keyRing.unlocked) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const done: UnlockWaiter = (unlocked) => {
        clearTimeout(timer);
        this.unlockWaiters.delete(done);
        resolve(unlocked);
      };
      const timer = setTimeout(() => done(false), this.timeoutMs);
      this.unlockWaiters.add(done);
    });
  }

  /** The handle of `fileObject` was closed: what it still has waiting completes with STATUS_CANCELLED. */
  cancelFor(fileObject: FileObject): void {
    for (const [data, entry] of this.waiting) {
      if (entry.fileObject !== fileObject) continue;
      this.forget(data);
      if (this.queue.remove(data)) this.completeWith(data, STATUS_CANCELLED);
    }
  }

  /** Teardown: everything still waiting completes with `status`, and nothing new is accepted. */
  drain(status: NTSTATUS = STATUS_CANCELLED): void {
    this.stopListening();
    for (const entry of this.waiting.values()) clearTimeout(entry.timer);
    this.waiting.clear();
    for (const done of [...this.unlockWaiters]) done(false);
    this.queue.disableAndDrain(status);
  }

  private releaseAll(): void {
    for (const done of [...this.unlockWaiters]) done(true);
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
    this.completeWith(data, STATUS_FILE_ENCRYPTED);
  }

  private forget(data: FltCallbackData): void {
    const entry = this.waiting.get(data);
    if (entry === undefined) return;
    clearTimeout(entry.timer);
    this.waiting.delete(data);
  }

  private completeWith(data: FltCallbackData, status: NTSTATUS): void {
    data.ioStatus.status = status;
    data.ioStatus.information = 0;
    this.manager.completePendedPreOperation(data, FLT_PREOP_COMPLETE);
  }
}
