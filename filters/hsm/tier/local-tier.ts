// The local-directory tier (another disk, a NAS mount): objects are files named by the SHA-256 of their
// content under objects/<first two hex digits>/, written to tmp/, fsync'd, renamed into place and their
// directory fsync'd, so a crash leaves either no object or a whole one. A marker file written when the
// tier is added tells "this disk is unplugged" (marker missing: STATUS_DEVICE_NOT_READY) from "this object
// is missing" (STATUS_OBJECT_NAME_NOT_FOUND); the tier never recreates its own root, so an unmounted
// disk cannot silently fill the mount point. The first connection sweeps tmp/ of the puts a killed process
// left (tier-tmp-sweep.ts). The tier's folders must be this user's and writable by nobody else, checked
// when the tier is added, at every connection and at every open of an object (tier-folder-guard.ts); the
// tier creates its folders 0700.

import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, stat, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import {
  STATUS_BAD_NETWORK_NAME, STATUS_CANCELLED, STATUS_DEVICE_NOT_READY, STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_NAME_COLLISION, STATUS_OBJECT_NAME_NOT_FOUND,
} from '../../../main/io/index.js';
import { syncDirectory } from '../../../main/store/index.js';
import { TierError, isObjectId, type StoredObject, type Tier } from './tier.js';
import { HashReadError, hashOnThread, warmHashThread } from './hash-thread.js';
import { statusOfHostError } from './tier-status.js';
import { sweepTierTmp, tierTempName, type TierTmpSweep } from './tier-tmp-sweep.js';
import { assertTierFoldersGuarded, tierFolders } from './tier-folder-guard.js';

export const TIER_MARKER = 'strata-tier.json';
const MARKER_FORMAT = 'strata-hsm-tier';
/** 2 MiB: still in the CPU's cache when the hash reads what the read just wrote (8 MiB is ~10% slower here). */
const HASH_CHUNK = 2 << 20;

interface TierMarker {
  format: string;
  version: number;
  name: string;
}

/**
 * Prepares `root` to hold tier `name` (creating it if needed, 0700); refuses a folder that belongs to
 * another tier, or that another user owns or can write to (checked before anything is put in it).
 */
export async function initializeLocalTier(name: string, root: string): Promise<void> {
  await assertTierFoldersGuarded(name, root, tierFolders(root));
  await mkdir(join(root, 'objects'), { recursive: true, mode: 0o700 });
  await mkdir(join(root, 'tmp'), { recursive: true, mode: 0o700 });
  await assertTierFoldersGuarded(name, root, tierFolders(root));
  const existing = await readMarker(root).catch(() => null);
  if (existing !== null) {
    if (existing.name !== name) {
      throw new TierError(name, STATUS_OBJECT_NAME_COLLISION, `${root} already holds tier '${existing.name}'`);
    }
    return;
  }
  const marker: TierMarker = { format: MARKER_FORMAT, version: 1, name };
  const temp = join(root, 'tmp', tierTempName('marker'));
  await writeFile(temp, `${JSON.stringify(marker)}\n`, { flag: 'wx', flush: true });
  await rename(temp, join(root, TIER_MARKER));
  await syncDirectory(root);
}

async function readMarker(root: string): Promise<TierMarker> {
  const marker = JSON.parse(await readFile(join(root, TIER_MARKER), 'utf8')) as TierMarker;
  if (marker?.format !== MARKER_FORMAT || typeof marker.name !== 'string') throw new Error('not a Strata tier marker');
  return marker;
}

export class LocalTier implements Tier {
  private firstSweep: Promise<TierTmpSweep> | null = null;

  constructor(readonly name: string, readonly location: string) {}

  async connect(): Promise<void> {
    let marker: TierMarker;
    try {
      marker = await readMarker(this.location);
    } catch {
      throw this.unavailable();
    }
    if (marker.name !== this.name) {
      throw new TierError(this.name, STATUS_BAD_NETWORK_NAME, `${this.location} holds tier '${marker.name}', not '${this.name}'`);
    }
    await assertTierFoldersGuarded(this.name, this.location, tierFolders(this.location));
    this.firstSweep ??= this.sweepLeftovers();
    await this.firstSweep;
  }

  /** What the sweep of tmp/ at the first connection found (null before it); it never fails a connection. */
  get leftoversSwept(): Promise<TierTmpSweep> | null {
    return this.firstSweep;
  }

  /**
   * Removes from tmp/ the partial copies of puts whose process is gone (puts under way, here or in another
   * live process sharing the tier, are kept). Runs at the first connection; callable again (fsck).
   */
  sweepLeftovers(): Promise<TierTmpSweep> {
    return sweepTierTmp(join(this.location, 'tmp'));
  }

  async put(source: AsyncIterable<Uint8Array>, signal?: AbortSignal): Promise<StoredObject> {
    await this.connect();
    const temp = join(this.location, 'tmp', tierTempName('put'));
    const hash = createHash('sha256');
    let size = 0;
    let file: FileHandle | null = null;
    try {
      file = await this.host(() => open(temp, 'wx', 0o600));
      for await (const chunk of source) {
        if (signal?.aborted) throw new TierError(this.name, STATUS_CANCELLED, 'storing an object was cancelled');
        hash.update(chunk);
        await this.host(() => file!.write(chunk, 0, chunk.length, size));
        size += chunk.length;
      }
      await this.host(() => file!.sync());
      await file.close();
      file = null;
      const objectId = hash.digest('hex');
      const directory = this.directoryOf(objectId);
      await this.host(() => mkdir(directory, { recursive: true, mode: 0o700 }));
      await assertTierFoldersGuarded(this.name, this.location, [directory]);
      // Same id, same content: replacing an existing copy with the fresh one also heals a damaged one.
      await this.host(() => rename(temp, join(directory, objectId)));
      await this.host(() => syncDirectory(directory));
      return { objectId, sha256: objectId, size };
    } catch (error) {
      await file?.close().catch(() => {});
      await unlink(temp).catch(() => {});
      throw error;
    }
  }

  async read(objectId: string, offset: number, length: number, into: Uint8Array): Promise<number> {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0 || into.length < length) {
      throw new TierError(this.name, STATUS_INVALID_PARAMETER, `bad range ${offset}+${length} for object ${objectId}`);
    }
    // One open per call: a tier unplugged between two chunks of a recall is noticed at the next chunk.
    const file = await this.openObject(objectId);
    try {
      let done = 0;
      while (done < length) {
        const { bytesRead } = await this.host(() => file.read(into, done, length - done, offset + done));
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done;
    } finally {
      await file.close().catch(() => {});
    }
  }

  async stat(objectId: string): Promise<{ size: number } | null> {
    try {
      return { size: (await stat(this.pathOf(objectId))).size };
    } catch (error) {
      return this.absentOrThrow(objectId, error, null);
    }
  }

  async delete(objectId: string): Promise<boolean> {
    try {
      await unlink(this.pathOf(objectId));
    } catch (error) {
      return this.absentOrThrow(objectId, error, false);
    }
    await this.host(() => syncDirectory(this.directoryOf(objectId)));
    return true;
  }

  async verify(objectId: string, sha256: string, signal?: AbortSignal): Promise<boolean> {
    const actual = await this.sha256(objectId, () => {
      if (signal?.aborted) throw new TierError(this.name, STATUS_CANCELLED, 'verifying an object was cancelled');
    });
    return actual === sha256;
  }

  /**
   * One open for the whole object, hashed on the hashing thread (hash-thread.ts: the event loop stays
   * free for the recall's kernel copy and everything around it) or, when that thread is not ready,
   * inline: HASH_CHUNK reads with the next read running while the current chunk is hashed; chunks small
   * enough to be hashed from the CPU's cache right after the read put them there. The open handle would
   * go on reading a tier whose folder was moved away: the marker is looked at again at the end (while
   * the object closes), so such a tier fails the hash as it fails a read.
   */
  async sha256(objectId: string, onProgress?: (done: number) => void): Promise<string> {
    const file = await this.openObject(objectId);
    let digest: string;
    try {
      digest = (await hashOnThread(file.fd, onProgress)) ?? (await this.hashInline(file, onProgress));
    } catch (error) {
      await file.close().catch(() => {});
      if (error instanceof HashReadError) return await this.host(() => Promise.reject(error.cause));
      throw error;
    }
    await Promise.all([file.close().catch(() => {}), this.stillConnected()]);
    return digest;
  }

  /** The marker is still there (one stat); if not, connect() says why. */
  private async stillConnected(): Promise<void> {
    try {
      await stat(join(this.location, TIER_MARKER));
    } catch {
      await this.connect();
    }
  }

  /** A recall may follow soon (a stub was opened): the hashing thread gets ready. */
  prepare(): void {
    warmHashThread();
  }

  private async hashInline(file: FileHandle, onProgress?: (done: number) => void): Promise<string> {
    const hash = createHash('sha256');
    const buffers = [new Uint8Array(HASH_CHUNK), new Uint8Array(HASH_CHUNK)];
    const readAt = (offset: number, turn: number): Promise<number> =>
      this.host(async () => (await file.read(buffers[turn % 2]!, 0, HASH_CHUNK, offset)).bytesRead);
    let offset = 0;
    let count = await readAt(0, 0);
    for (let turn = 0; count > 0; turn++) {
      const next = readAt(offset + count, turn + 1);
      // Its failure is reported by the await below, not as an unhandled rejection if the hash ends first.
      next.catch(() => {});
      hash.update(buffers[turn % 2]!.subarray(0, count));
      offset += count;
      onProgress?.(offset);
      count = await next;
    }
    return hash.digest('hex');
  }

  async *list(): AsyncIterable<string> {
    await this.connect();
    const objects = join(this.location, 'objects');
    for (const prefix of await this.host(() => readdir(objects))) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const name of await this.host(() => readdir(join(objects, prefix)))) {
        if (isObjectId(name) && name.startsWith(prefix)) yield name;
      }
    }
  }

  hostFileOf(objectId: string): { file: string; directory: string } {
    return { file: this.pathOf(objectId), directory: join(this.location, 'objects') };
  }

  private pathOf(objectId: string): string {
    return join(this.directoryOf(objectId), objectId);
  }

  private directoryOf(objectId: string): string {
    if (!isObjectId(objectId)) throw new TierError(this.name, STATUS_INVALID_PARAMETER, `'${String(objectId)}' is not an object id (64 hex digits)`);
    return join(this.location, 'objects', objectId.slice(0, 2));
  }

  /** Opens an object for reading, once every folder on its way in the tier is known to be guarded. */
  private async openObject(objectId: string): Promise<FileHandle> {
    let file: FileHandle;
    try {
      file = await open(this.pathOf(objectId), 'r');
    } catch (error) {
      await this.absentOrThrow(objectId, error, null);
      throw new TierError(this.name, STATUS_OBJECT_NAME_NOT_FOUND, `object ${objectId} is not in the tier (${this.location})`);
    }
    try {
      await assertTierFoldersGuarded(this.name, this.location, [this.location, join(this.location, 'objects'), this.directoryOf(objectId)]);
    } catch (error) {
      await file.close().catch(() => {});
      throw error;
    }
    return file;
  }

  /** An ENOENT answers `absent` when the tier is there (the object is missing), else the tier is unavailable. */
  private async absentOrThrow<T>(objectId: string, error: unknown, absent: T): Promise<T> {
    if (error instanceof TierError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new TierError(this.name, statusOfHostError(error), `object ${objectId}: ${(error as Error).message}`);
    }
    await this.connect();
    return absent;
  }

  private async host<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof TierError) throw error;
      // A vanished path usually means a vanished tier: say so rather than "no such file".
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') await this.connect();
      throw new TierError(this.name, statusOfHostError(error), (error as Error).message);
    }
  }

  private unavailable(): TierError {
    return new TierError(this.name, STATUS_DEVICE_NOT_READY, `${this.location} is not available (no ${TIER_MARKER} there: is the disk unplugged or the folder moved?)`);
  }
}
