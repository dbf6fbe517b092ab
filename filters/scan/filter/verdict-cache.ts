// Verdicts of files scanned on open, kept per instance beyond the life of their streams: a file opened
// again, unchanged (same size and last-write time) under the same signature database, is not rescanned.
// Bounded: the oldest entries go first.

export interface CachedVerdict {
  readonly size: number;
  readonly lastWriteTime: number;
  readonly generation: number;
  /** null when clean. */
  readonly signature: string | null;
}

export class VerdictCache {
  private readonly entries = new Map<string, CachedVerdict>();

  constructor(private readonly capacity = 10_000) {}

  get(name: string, size: number, lastWriteTime: number, generation: number): CachedVerdict | null {
    const entry = this.entries.get(name);
    if (entry === undefined || entry.size !== size || entry.lastWriteTime !== lastWriteTime || entry.generation !== generation) return null;
    return entry;
  }

  set(name: string, verdict: CachedVerdict): void {
    // Keyed by the name as the file system reports it: on a case-sensitive volume A.txt is not a.txt.
    this.entries.delete(name);
    this.entries.set(name, verdict);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(name: string): void {
    this.entries.delete(name);
  }
}
