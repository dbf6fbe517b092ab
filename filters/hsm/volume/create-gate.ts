// Holds opens of paths the HSM is busy with: a file being replaced by its stub (from the last
// "is it open?" check to the rename), and everything while the journal of an earlier crash is being
// recovered. Held creates wait, cancel-safely, in a FltCancelSafeQueue and resume when the gate opens.

import { FLT_PREOP_COMPLETE, FLT_PREOP_SUCCESS_WITH_CALLBACK, FltCancelSafeQueue, type FilterManager, type FltCallbackData } from '../../../main/fltmgr/index.js';
import { canonicalPath } from '../catalog/volume-path.js';

export class CreateGate {
  private readonly held = new Map<string, number>();
  private everything = false;
  private readonly queue: FltCancelSafeQueue;

  constructor(private readonly manager: FilterManager) {
    this.queue = new FltCancelSafeQueue(manager);
  }

  blocks(path: string): boolean {
    return this.everything || this.held.has(path);
  }

  /** From a pre-create: true when the create was queued (return FLT_PREOP_PENDING). */
  holdIfBlocked(data: FltCallbackData, path: string): 'held' | 'refused' | 'pass' {
    if (!this.blocks(path)) return 'pass';
    return this.queue.insert(data) ? 'held' : 'refused';
  }

  close(path: string): void {
    this.held.set(path, (this.held.get(path) ?? 0) + 1);
  }

  open(path: string): void {
    const count = this.held.get(path) ?? 0;
    if (count <= 1) this.held.delete(path);
    else this.held.set(path, count - 1);
    this.release();
  }

  closeAll(): void {
    this.everything = true;
  }

  openAll(): void {
    this.everything = false;
    this.release();
  }

  /** Teardown: held creates fail (STATUS_CANCELLED) rather than wait for ever. */
  drain(): void {
    this.queue.disableAndDrain();
  }

  private release(): void {
    const waiting: FltCallbackData[] = [];
    for (let data = this.queue.removeNext(); data !== null; data = this.queue.removeNext()) waiting.push(data);
    for (const data of waiting) {
      if (this.blocks(canonicalPath(data.fileObject!.fileName))) {
        // Not re-queued (cancelled meanwhile, or the queue drained for teardown): insert set the status.
        if (!this.queue.insert(data)) this.manager.completePendedPreOperation(data, FLT_PREOP_COMPLETE);
      } else {
        this.manager.completePendedPreOperation(data, FLT_PREOP_SUCCESS_WITH_CALLBACK);
      }
    }
  }
}
