// Operations of a stream under way, so that its last cleanup can wait for them: a read still running when
// the handle is closed would otherwise reopen the ciphertext after the filter closed its own handles, and
// nothing would close that handle again.

export class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];

  /** Runs `work`, counted as under way until it settles. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    this.count++;
    try {
      return await work();
    } finally {
      if (--this.count === 0) this.wakeWaiters();
    }
  }

  /** Resolves once nothing is under way. */
  idle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private wakeWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
