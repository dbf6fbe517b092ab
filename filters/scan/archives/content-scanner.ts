// Scans an object and, when it is a zip, gzip, tar or cpio archive, what is inside, to the nesting
// depth the limits allow. As in clamscan, an archive's members are scanned before its own bytes (so a
// member's signature is the one reported): tar and cpio members as slices of the source, compressed
// members as decompressed streams. Only a member that is itself an archive is kept in memory (to
// parse it), within the size budget. A limit exceeded fails closed: a
// too-deep archive or a bomb member is skipped and the walk goes on (a real signature found elsewhere
// wins), while the total-size and member-count budgets stop it at once.

import type { CompiledDatabase } from '../engine/compiled-database.js';
import { ScanSession, type Detection } from '../engine/scan-session.js';
import { bufferSource, type ByteSource } from '../source/byte-source.js';
import { inflateChunks, readChunks } from '../source/chunk-streams.js';
import { DEFAULT_ARCHIVE_LIMITS, LIMIT_SIGNATURES, LimitBudget, LimitExceeded, type ArchiveLimits } from './archive-limits.js';
import { TYPE_PROBE_LENGTH, archiveTypeOf, type ArchiveType } from './archive-type.js';
import { CpioFormatError, cpioEntries } from './cpio-reader.js';
import { TarFormatError, tarEntries } from './tar-reader.js';
import { ZipFormatError, zipMembers } from './zip-reader.js';

export interface ContentVerdict {
  readonly detection: Detection | null;
  /** The archive members leading to it, outermost first (empty: the object itself). */
  readonly location: readonly string[];
}

export interface ContentScanOptions {
  readonly limits?: ArchiveLimits;
  /** Look inside archives (default true). */
  readonly archives?: boolean;
  readonly signal?: AbortSignal;
  /** Bytes of the object itself read so far (progress). */
  readonly onBytes?: (count: number) => void;
}

const CLEAN: ContentVerdict = { detection: null, location: [] };

export async function scanContent(db: CompiledDatabase, source: ByteSource, options: ContentScanOptions = {}): Promise<ContentVerdict> {
  const walk = new ContentWalk(db, options);
  try {
    return (await walk.object(source, 0, [], true)) ?? walk.limitVerdict() ?? CLEAN;
  } catch (error) {
    if (error instanceof LimitExceeded) return limitVerdict(error, walk.current);
    throw error;
  }
}

function limitVerdict(error: LimitExceeded, location: readonly string[]): ContentVerdict {
  return { detection: { name: LIMIT_SIGNATURES[error.kind], kind: 'limits' }, location };
}

class ContentWalk {
  private readonly budget: LimitBudget;
  /** The member being scanned, for a limit verdict's location. */
  current: readonly string[] = [];
  /** The first skipped subtree (too deep, or a bomb), reported if nothing else is found. */
  private skipped: ContentVerdict | null = null;

  constructor(private readonly db: CompiledDatabase, private readonly options: ContentScanOptions) {
    this.budget = new LimitBudget(options.limits ?? DEFAULT_ARCHIVE_LIMITS);
  }

  /** A random-access object: its members first when it is an archive, then its own bytes. */
  async object(source: ByteSource, depth: number, location: readonly string[], top = false): Promise<ContentVerdict | null> {
    this.current = location;
    const type = archiveTypeOf(await source.read(0, TYPE_PROBE_LENGTH));
    if (type !== null) {
      const inner = await this.archive(type, source, depth + 1, location);
      if (inner !== null) return inner;
      this.current = location;
    }
    const session = new ScanSession(this.db, { knownSize: source.size });
    for await (const chunk of readChunks(source, this.options.signal)) {
      if (top) this.options.onBytes?.(chunk.length);
      const found = session.feed(chunk);
      if (found !== null) return { detection: found, location };
    }
    const found = session.finish();
    return found === null ? null : { detection: found, location };
  }

  /**
   * A member known only as a stream: scanned as it comes, and kept only if it is itself an archive,
   * whose members then go first (as for objects): the stream's own detection is the fallback.
   */
  private async stream(chunks: AsyncIterable<Uint8Array>, compressedSize: number, depth: number, location: readonly string[]): Promise<ContentVerdict | null> {
    this.current = location;
    const session = new ScanSession(this.db);
    let head: Uint8Array = new Uint8Array(0);
    let kept: Uint8Array[] | null = [];
    let found: Detection | null = null;
    let produced = 0;
    try {
      for await (const chunk of chunks) {
        produced += chunk.length;
        this.budget.addExtracted(chunk.length);
        this.budget.checkRatio(produced, compressedSize);
        if (head.length < TYPE_PROBE_LENGTH) head = Buffer.concat([head, chunk.subarray(0, TYPE_PROBE_LENGTH - head.length)]);
        const knownNotArchive = head.length >= TYPE_PROBE_LENGTH && archiveTypeOf(head) === null;
        if (knownNotArchive) kept = null;
        else kept?.push(chunk);
        found ??= session.feed(chunk);
        if (found !== null && knownNotArchive) return { detection: found, location };
      }
    } catch (error) {
      if (error instanceof LimitExceeded || this.options.signal?.aborted === true) throw error;
      // A corrupt or truncated member: what decompressed was scanned; the rest cannot be.
      kept = null;
    }
    found ??= session.finish();
    const type = kept === null ? null : archiveTypeOf(head);
    if (type !== null) {
      const inner = await this.archive(type, bufferSource(Buffer.concat(kept!)), depth + 1, location);
      if (inner !== null) return inner;
    }
    return found === null ? null : { detection: found, location };
  }

  limitVerdict(): ContentVerdict | null {
    return this.skipped;
  }

  /** Runs `walk`; a depth or ratio limit skips just that subtree (remembered), others end the walk. */
  private async skippable(location: readonly string[], walk: () => Promise<ContentVerdict | null>): Promise<ContentVerdict | null> {
    try {
      return await walk();
    } catch (error) {
      if (!(error instanceof LimitExceeded) || (error.kind !== 'depth' && error.kind !== 'ratio')) throw error;
      this.skipped ??= limitVerdict(error, location);
      return null;
    }
  }

  private async archive(type: ArchiveType, source: ByteSource, depth: number, location: readonly string[]): Promise<ContentVerdict | null> {
    if ((this.options.archives ?? true) === false) return null;
    return this.skippable(location, () => this.openArchive(type, source, depth, location));
  }

  private async openArchive(type: ArchiveType, source: ByteSource, depth: number, location: readonly string[]): Promise<ContentVerdict | null> {
    this.budget.checkDepth(depth);
    switch (type) {
      case 'zip':
        return this.zip(source, depth, location);
      case 'gzip': {
        this.budget.addEntry();
        const where = [...location, '(gzip)'];
        return this.skippable(where, () => this.stream(inflateChunks(source, 'gzip', this.options.signal), source.size, depth, where));
      }
      case 'tar':
        return this.members(tarEntries(source), depth, location, (e) => e.kind === 'file');
      case 'cpio':
        return this.members(cpioEntries(source), depth, location, (e) => e.regularFile);
    }
  }

  private async zip(source: ByteSource, depth: number, location: readonly string[]): Promise<ContentVerdict | null> {
    let members;
    try {
      members = await zipMembers(source);
    } catch (error) {
      if (error instanceof ZipFormatError || error instanceof RangeError) return null;
      throw error;
    }
    for (const member of members) {
      this.budget.addEntry();
      // Encrypted members and other compression methods cannot be read; clamscan passes them too.
      if (member.encrypted || (member.method !== 0 && member.method !== 8)) continue;
      let data: ByteSource;
      try {
        data = await member.data();
      } catch (error) {
        if (error instanceof ZipFormatError || error instanceof RangeError) continue;
        throw error;
      }
      const chunks = member.method === 0 ? readChunks(data, this.options.signal) : inflateChunks(data, 'raw', this.options.signal);
      const where = [...location, member.name];
      const verdict = await this.skippable(where, () => this.stream(chunks, member.compressedSize, depth, where));
      if (verdict !== null) return verdict;
    }
    return null;
  }

  /** Members of an uncompressed archive (tar, cpio): slices of the source, scanned as objects. */
  private async members<E extends { name: string; content: ByteSource }>(entries: AsyncIterable<E>, depth: number, location: readonly string[], isFile: (entry: E) => boolean): Promise<ContentVerdict | null> {
    try {
      for await (const entry of entries) {
        if (!isFile(entry)) continue;
        this.budget.addEntry();
        this.budget.addExtracted(entry.content.size);
        const verdict = await this.object(entry.content, depth, [...location, entry.name]);
        if (verdict !== null) return verdict;
      }
    } catch (error) {
      // A damaged archive: the members before the damage were scanned.
      if (!(error instanceof TarFormatError || error instanceof CpioFormatError || error instanceof RangeError)) throw error;
    }
    return null;
  }
}
