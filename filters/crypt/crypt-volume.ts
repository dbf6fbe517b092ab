// The crypt filter's state on one volume (one instance): its own I/O below the instance, the streams it
// tracks, the queues of operations waiting for the vault key or for a write-behind to catch up, a small
// cache of probed listing entries, and the sweep of leftover temporary files begun when it attached.

import type { FilterManager, FltInstance } from '../../main/fltmgr/index.js';
import { FILE_NON_DIRECTORY_FILE, FILE_NO_INTERMEDIATE_BUFFERING, type FileHandle } from '../../main/io/index.js';
import type { Sodium } from '../../main/age/index.js';
import { Below } from './below.js';
import type { CryptoPool } from './crypto-pool.js';
import type { CryptStream } from './crypt-stream.js';
import type { Base } from './file-probe.js';
import type { KeyRing } from './key-ring.js';
import { LockedWait } from './locked-wait.js';
import { SavesInProgress } from './saves-in-progress.js';
import { startTempSweep, type TempSweep } from './temp-sweep.js';
import { WriteBacklog } from './write-backlog.js';
import type { CryptIo } from './plaintext-reader.js';

const PROBE_CACHE_LIMIT = 4096;

export interface ProbedEntry {
  size: number;
  lastWriteTime: number;
  base: Base;
}

export class CryptVolume implements CryptIo {
  readonly below: Below;
  readonly streams = new Set<CryptStream>();
  readonly lockedWait: LockedWait;
  readonly writeBacklog: WriteBacklog;
  readonly probeCache = new Map<string, ProbedEntry>();
  readonly saves: SavesInProgress;
  /** The sweep of temporary files that crashed saves left (temp-sweep.ts), begun at attach. */
  readonly tempSweep: Promise<TempSweep>;
  /** Ends the sweep at its next entry (tempSweep then resolves with `stopped`). */
  readonly stopTempSweep: () => void;
  private readonly stopListening: () => void;

  constructor(
    readonly manager: FilterManager,
    readonly instance: FltInstance,
    readonly sodium: Sodium,
    readonly keyRing: KeyRing,
    readonly pool: CryptoPool,
    lockedWaitMs: number,
  ) {
    this.below = new Below(manager, instance);
    this.lockedWait = new LockedWait(manager, keyRing, lockedWaitMs);
    this.writeBacklog = new WriteBacklog(manager);
    this.saves = new SavesInProgress(manager);
    this.stopListening = keyRing.onLock(() => this.wipeKeys());
    const sweep = startTempSweep(this.below);
    this.tempSweep = sweep.done;
    this.stopTempSweep = sweep.stop;
  }

  handleOf(stream: CryptStream): Promise<FileHandle> {
    return stream.handle.get(() => this.below.open(stream.name));
  }

  /** An unbuffered open of the stream's ciphertext: large reads go to the disk, not through the host's page cache. */
  unbufferedHandleOf(stream: CryptStream): Promise<FileHandle> {
    return stream.unbufferedHandle.get(() => this.below.open(stream.name, { options: FILE_NON_DIRECTORY_FILE | FILE_NO_INTERMEDIATE_BUFFERING }));
  }

  /** Closes the filter's own opens of the stream, so that the file system sees its last handle go. */
  async closeHandles(stream: CryptStream): Promise<void> {
    for (const handle of await Promise.all([stream.handle.take(), stream.unbufferedHandle.take()])) {
      if (handle !== null) await this.below.close(handle).catch(() => undefined);
    }
  }

  rememberProbe(name: string, entry: ProbedEntry): void {
    if (this.probeCache.size >= PROBE_CACHE_LIMIT) this.probeCache.clear();
    this.probeCache.set(name, entry);
  }

  /** Lock: every cached file key is wiped; the next use needs the vault unlocked again. */
  wipeKeys(): void {
    for (const stream of this.streams) forgetKey(this.sodium, stream);
  }

  forget(stream: CryptStream): void {
    this.streams.delete(stream);
    void stream.dropWriteBehind();
    void stream.releaseSpilled();
    forgetKey(this.sodium, stream);
    void this.closeHandles(stream);
  }

  /** Teardown begins: no more background work on the volume (the sweep stops at its next entry). */
  stopBackgroundWork(): void {
    this.stopTempSweep();
    this.lockedWait.drain();
    this.writeBacklog.drain();
  }

  dispose(): void {
    this.stopTempSweep();
    this.stopListening();
    this.lockedWait.drain();
    this.writeBacklog.drain();
    this.saves.drain();
    for (const stream of [...this.streams]) this.forget(stream);
  }
}

/**
 * Wipes the stream's cached file key. Reads and saves under way decrypt with copies of their own, so they
 * finish with them; the final-chunk check is forgotten too: the first read after the next unlock checks
 * again with its own key rather than sharing the outcome of one started before the lock.
 */
function forgetKey(sodium: Sodium, stream: CryptStream): void {
  stream.readAhead = null;
  stream.finalChunkCheck = null;
  if (stream.payloadKey !== null) sodium.memzero(stream.payloadKey);
  stream.payloadKey = null;
}
