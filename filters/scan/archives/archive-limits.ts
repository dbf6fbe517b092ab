// Limits against decompression bombs and runaway nesting. Exceeding one fails closed: the object gets a
// verdict named like clamscan's --alert-exceeds-max heuristics, so it is blocked or quarantined rather
// than passed unscanned.

export interface ArchiveLimits {
  /** Archives inside archives: deeper ones are not opened. */
  readonly maxDepth: number;
  /** Bytes extracted from all archive members of one scanned object, together. */
  readonly maxTotalSize: number;
  /** Members of all archives in one scanned object, together. */
  readonly maxEntries: number;
  /** Extracted size over compressed size, checked once a member has produced ratioFloor bytes. */
  readonly maxRatio: number;
  readonly ratioFloor: number;
}

/** clamscan's defaults where it has one (max-recursion 17, max-scansize 400 MiB, max-files 10000). */
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxDepth: 16,
  maxTotalSize: 400 * 1024 * 1024,
  maxEntries: 10_000,
  maxRatio: 250,
  ratioFloor: 1024 * 1024,
};

export type LimitKind = 'depth' | 'size' | 'entries' | 'ratio';

export const LIMIT_SIGNATURES: Record<LimitKind, string> = {
  depth: 'Heuristics.Limits.Exceeded.MaxRecursion',
  size: 'Heuristics.Limits.Exceeded.MaxScanSize',
  entries: 'Heuristics.Limits.Exceeded.MaxFiles',
  ratio: 'Heuristics.Limits.Exceeded.MaxCompressionRatio',
};

/** Thrown inside the archive walk; the scanner turns it into a 'limits' detection. */
export class LimitExceeded extends Error {
  override readonly name = 'LimitExceeded';
  constructor(readonly kind: LimitKind, detail: string) {
    super(`${LIMIT_SIGNATURES[kind]}: ${detail}`);
  }
}

/** What one scanned object has used of the limits so far. */
export class LimitBudget {
  private extracted = 0;
  private entries = 0;

  constructor(readonly limits: ArchiveLimits) {}

  addEntry(): void {
    if (++this.entries > this.limits.maxEntries) throw new LimitExceeded('entries', `more than ${this.limits.maxEntries} archive members`);
  }

  addExtracted(count: number): void {
    this.extracted += count;
    if (this.extracted > this.limits.maxTotalSize) throw new LimitExceeded('size', `more than ${this.limits.maxTotalSize} bytes extracted`);
  }

  checkRatio(produced: number, compressed: number): void {
    const { maxRatio, ratioFloor } = this.limits;
    if (produced > ratioFloor && produced > maxRatio * Math.max(1, compressed)) {
      throw new LimitExceeded('ratio', `a member expands ${compressed} compressed bytes beyond ${produced} (over ${maxRatio}:1)`);
    }
  }

  checkDepth(depth: number): void {
    if (depth > this.limits.maxDepth) throw new LimitExceeded('depth', `archives nested more than ${this.limits.maxDepth} deep`);
  }
}
