// The cold-tier contract: content-addressed objects (the id is the SHA-256 of the content, in hex) that
// can be stored, read whole or by byte range, described, deleted and re-verified. Everything is
// asynchronous and every call may fail with a TierError carrying an NTSTATUS, so that a network tier
// (asynchronous connection set-up, timeouts, disconnects) fits the same slot as the local one.

import { NtStatusError, type NTSTATUS } from '../../../main/io/index.js';

export interface StoredObject {
  readonly objectId: string;
  readonly sha256: string;
  readonly size: number;
}

export interface Tier {
  readonly name: string;
  /** Where the tier lives, for messages ("/mnt/cold", "\\server\share"). */
  readonly location: string;
  /** Connection set-up (a local tier checks that its disk is there). Cheap once connected. */
  connect(signal?: AbortSignal): Promise<void>;
  /** Stores what `source` yields; an object with the same content is replaced by the fresh copy. */
  put(source: AsyncIterable<Uint8Array>, signal?: AbortSignal): Promise<StoredObject>;
  /** Copies up to `length` bytes of the object from `offset` into `into`; 0 at or past its end. */
  read(objectId: string, offset: number, length: number, into: Uint8Array): Promise<number>;
  /** The object's size, or null when the tier is reachable and the object is not there. */
  stat(objectId: string): Promise<{ size: number } | null>;
  /** Removes the object; false when it was not there. */
  delete(objectId: string): Promise<boolean>;
  /** Re-reads the object and tells whether its SHA-256 is `sha256`. */
  verify(objectId: string, sha256: string, signal?: AbortSignal): Promise<boolean>;
  /**
   * Reads the whole object and returns its SHA-256, calling `onProgress` with the bytes hashed so far
   * after each chunk (what it throws ends the hash with that error). A tier that goes away before the
   * end fails it, as a read would.
   */
  sha256(objectId: string, onProgress?: (done: number) => void): Promise<string>;
  /** Every object id the tier holds. */
  list(): AsyncIterable<string>;
  /**
   * Where an object lives as a file of this host, for a copy the host's kernel makes (a recall's
   * FSCTL_STRATA_COPY_FROM_HOST_FILE): the file and the directory that holds every object. Absent on a
   * tier that is no local file (a network tier): the recall then streams the object through `read`.
   */
  hostFileOf?(objectId: string): { readonly file: string; readonly directory: string };
  /** A recall may follow soon (a stub was opened): whatever a recall needs may get ready. Never fails. */
  prepare?(): void;
}

/** A tier call failed; `status` says why in NT terms, the message says which tier and what. */
export class TierError extends NtStatusError {
  constructor(readonly tier: string, status: NTSTATUS, message: string) {
    super(status, `tier '${tier}': ${message}`);
    this.name = 'TierError';
  }
}

const OBJECT_ID = /^[0-9a-f]{64}$/;

/** Object ids come from stubs and databases: only 64 lowercase hex digits ever reach a path. */
export function isObjectId(value: unknown): value is string {
  return typeof value === 'string' && OBJECT_ID.test(value);
}

const TIER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function isTierName(value: unknown): value is string {
  return typeof value === 'string' && TIER_NAME.test(value);
}

/** Reads a whole object (or `length` bytes of it from `offset`) as a stream of chunks. */
export async function* readObject(tier: Tier, objectId: string, chunkSize: number, offset = 0, length = Infinity): AsyncGenerator<Uint8Array> {
  let position = offset;
  const end = offset + length;
  while (position < end) {
    const chunk = new Uint8Array(Math.min(chunkSize, end - position));
    const count = await tier.read(objectId, position, chunk.length, chunk);
    if (count === 0) return;
    yield chunk.subarray(0, count);
    position += count;
  }
}
