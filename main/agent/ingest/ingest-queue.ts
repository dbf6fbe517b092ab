// The bounded ingest queue: at most `capacity` files wait, `concurrency` are ingested at once. offer()
// refuses when full, and `onRoom` fires once it drains to half, so producers hold back instead of
// growing memory without bound. Counts feed the progress reports; stop() cancels what is in flight.

export interface IngestItem {
  folderId: string;
  relativePath: string;
}

export interface QueueCounters {
  /** Accepted since the queue was last idle (the current storm's total so far). */
  accepted: number;
  done: number;
  failed: number;
  waiting: number;
  running: number;
}

export interface IngestQueueOptions {
  capacity: number;
  concurrency: number;
  /** Ingests one item; resolves true on success, false on a failure already reported. */
  work: (item: IngestItem, signal: AbortSignal) => Promise<boolean>;
  onRoom?: () => void;
  onProgress?: (counters: QueueCounters, idle: boolean) => void;
}

export class IngestQueue {
  private readonly waiting: IngestItem[] = [];
  /** Keys of waiting items (a second offer of the same file is the same work)... */
  private readonly keys = new Set<string>();
  /** ...and of running ones: a file changed while being ingested waits until that run ends. */
  private readonly runningKeys = new Set<string>();
  private running = 0;
  private accepted = 0;
  private done = 0;
  private failed = 0;
  private wasFull = false;
  private readonly abort = new AbortController();
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: IngestQueueOptions) {}

  /** Queues the item (a duplicate of a waiting one counts as accepted); false when full. */
  offer(item: IngestItem): boolean {
    if (this.abort.signal.aborted) return false;
    const key = keyOf(item);
    if (this.keys.has(key)) return true;
    if (this.waiting.length >= this.options.capacity) {
      this.wasFull = true;
      return false;
    }
    this.keys.add(key);
    this.waiting.push(item);
    this.accepted++;
    this.pump();
    return true;
  }

  counters(): QueueCounters {
    return { accepted: this.accepted, done: this.done, failed: this.failed, waiting: this.waiting.length, running: this.running };
  }

  /** Items of one folder waiting or running. */
  pendingFor(folderId: string): number {
    let count = 0;
    for (const item of this.waiting) if (item.folderId === folderId) count++;
    for (const key of this.runningKeys) if (key.startsWith(`${folderId}\0`)) count++;
    return count;
  }

  get idle(): boolean {
    return this.waiting.length === 0 && this.running === 0;
  }

  /** Resolves when nothing waits or runs. */
  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops waiting items of a folder (it is being removed or stopped). */
  dropFolder(folderId: string): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const item = this.waiting[i]!;
      if (item.folderId !== folderId) continue;
      this.waiting.splice(i, 1);
      this.keys.delete(keyOf(item));
      this.accepted--;
    }
    this.settle();
  }

  /** Cancels: waiting items are dropped, running ones see their signal aborted; resolves when they return. */
  async stop(): Promise<void> {
    this.abort.abort(new Error('the agent is stopping'));
    this.waiting.length = 0;
    this.keys.clear();
    await this.whenIdle();
  }

  private pump(): void {
    while (this.running < this.options.concurrency) {
      const index = this.waiting.findIndex((candidate) => !this.runningKeys.has(keyOf(candidate)));
      if (index < 0) return;
      const [item] = this.waiting.splice(index, 1) as [IngestItem];
      this.keys.delete(keyOf(item));
      this.runningKeys.add(keyOf(item));
      this.running++;
      void this.run(item);
    }
  }

  private async run(item: IngestItem): Promise<void> {
    let ok = false;
    try {
      ok = await this.options.work(item, this.abort.signal);
    } catch {
      ok = false;
    }
    this.runningKeys.delete(keyOf(item));
    this.running--;
    if (ok) this.done++;
    else this.failed++;
    this.pump();
    this.settle();
  }

  private settle(): void {
    if (this.wasFull && this.waiting.length <= this.options.capacity / 2) {
      this.wasFull = false;
      this.options.onRoom?.();
    }
    const idle = this.idle;
    this.options.onProgress?.(this.counters(), idle);
    if (idle) {
      this.accepted = this.done = this.failed = 0;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}

function keyOf(item: IngestItem): string {
  return `${item.folderId}\0${item.relativePath}`;
}
