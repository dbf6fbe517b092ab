// Work started in the order it was asked for, at most `limit` pieces at once. The large ciphertext reads
// of a stream go below two at a time: the range a reader needs next arrives first, instead of sharing the
// disk with every range read ahead of it (four 4 MiB reads issued at once all finish at about the same
// time), and the disk still has the next read queued when one completes.

export class InOrder {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit = 2) {}

  /** Runs `work` once it is among the first `limit` of what is not done yet; a failure does not stop what follows. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push(() => {
        this.running++;
        let started: Promise<T>;
        try {
          started = work();
        } catch (error) {
          started = Promise.reject(error as Error);
        }
        started.then(resolve, reject).finally(() => {
          this.running--;
          this.startNext();
        });
      });
      this.startNext();
    });
  }

  private startNext(): void {
    while (this.running < this.limit && this.waiting.length > 0) this.waiting.shift()!();
  }
}
