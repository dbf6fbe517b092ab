// The saves of a volume's streams under way, by name, from the last cleanup's start to the end of its
// rename. A new open of a file being saved waits for the save (its pre-create is pended): opened in the
// middle, it would hold the file open below (the save's rename over it is then refused), or write into a
// stream whose save already took its snapshot. The waiting opens sit in a cancel-safe queue: a cancelled
// one completes once with STATUS_CANCELLED, and teardown completes what is left.

import {
  FLT_PREOP_COMPLETE, FLT_PREOP_PENDING, FltCancelSafeQueue, type FilterManager, type FltCallbackData,
  type FltPreopStatus,
} from '../../main/fltmgr/index.js';

export class SavesInProgress {
  private readonly saves = new Map<string, Promise<void>>();
  private readonly waiting: FltCancelSafeQueue;

  constructor(manager: FilterManager) {
    this.waiting = new FltCancelSafeQueue(manager);
  }

  /** Marks `name` as being saved until the returned function is called. */
  begin(name: string): () => void {
    let end!: () => void;
    const done = new Promise<void>((resolve) => (end = resolve));
    this.saves.set(name, done);
    return () => {
      if (this.saves.get(name) === done) this.saves.delete(name);
      end();
    };
  }

  /**
   * From a pre-create: null when `name` is not being saved (the open goes on); otherwise the open is pended
   * until the save is over, then `resume` runs (unless it was cancelled meanwhile), and PENDING is returned,
   * or COMPLETE with data.ioStatus set when the queue refused it (already cancelled, or torn down).
   */
  pendUntilSaved(data: FltCallbackData, name: string, resume: () => void): FltPreopStatus | null {
    const saving = this.saves.get(name);
    if (saving === undefined) return null;
    if (!this.waiting.insert(data)) return FLT_PREOP_COMPLETE;
    void saving.then(() => {
      if (this.waiting.remove(data)) resume();
    });
    return FLT_PREOP_PENDING;
  }

  /** Teardown: the opens still waiting complete with STATUS_CANCELLED and new ones are refused. */
  drain(): void {
    this.waiting.disableAndDrain();
  }
}
