// A notification event: set once, awaited by any number of waiters. The JS stand-in for KEVENT,
// used where an NT driver would block in KeWaitForSingleObject.

export class KEvent {
  private signaled = false;
  private waiters: (() => void)[] = [];

  get isSet(): boolean {
    return this.signaled;
  }

  set(): void {
    if (this.signaled) return;
    this.signaled = true;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  reset(): void {
    this.signaled = false;
  }

  wait(): Promise<void> {
    if (this.signaled) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
