// Whether a file the stack itself last wrote (the ledger's) is passed over by ingest. It is, unless a
// protection finds its raw content not in the form it keeps: a write from below that protection put it
// there (crypt: the HSM's recall of plaintext that went to the tier before the folder was encrypted writes
// that plaintext into the file under the crypt filter). Such a file is taken in like any other, which
// stores it as the protection keeps it; what that writes is in that form, so it is passed over next time.
// An HSM stub's raw bytes are never taken in (ingest-file.ts says why).

import type { ActiveProtection } from '../protections/provider.js';
import type { FileStamp } from './file-stamp.js';
import type { IngestLedger } from './ingest-ledger.js';
import { isHsmStub, rawCandidate } from './raw-head.js';

export interface OwnWriteContext {
  readonly root: string;
  readonly ledger: IngestLedger;
  readonly protections: () => readonly ActiveProtection[];
}

/**
 * Whether a protection wants this file, which the stack wrote, taken in all the same (read from its raw
 * head; no protection that asks: no read). Throws what a protection threw (the file is for later).
 */
export async function ownWriteToTakeIn(context: OwnWriteContext, relativePath: string, size: number): Promise<boolean> {
  const askers = context.protections().filter((protection) => protection.takesInOwnWrite !== undefined);
  if (askers.length === 0) return false;
  const candidate = await rawCandidate(context.root, relativePath, size);
  if (candidate === null || isHsmStub(candidate)) return false;
  return askers.some((protection) => protection.takesInOwnWrite!(candidate));
}

/**
 * The watcher's test (as settled, and on walks): the stack wrote the file as it is now, or is writing it,
 * and no protection wants it taken in all the same. When one cannot say now (it threw, or the head could
 * not be read), the file is offered: ingest then tries it and reports why it is left.
 */
export async function isSettledOwnWrite(context: OwnWriteContext, relativePath: string, stamp: FileStamp): Promise<boolean> {
  if (!context.ledger.isOwn(relativePath, stamp)) return false;
  // Mid-write the bytes are not yet what they will be; the end of the write looks again (live-folder.ts).
  if (context.ledger.isWriting(relativePath)) return true;
  return !(await ownWriteToTakeIn(context, relativePath, stamp.size).catch(() => true));
}
