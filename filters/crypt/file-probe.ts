// What a file on disk is, judged from its first bytes and its size, without any key: an age file (its
// header, and so its plaintext size), a plain file dropped in without Strata, an empty file, or a file that
// claims to be age but cannot be (a damaged header or an impossible length). A file claims to be age by its
// intro line, `age-encryption.org/v<N>`, whole: a text that merely starts with the site's name is plain.

import {
  MalformedHeaderError, NONCE_SIZE, copyBytes, TruncatedError, parseHeader, payloadLayout, type PayloadFormatError,
} from '../../main/age/index.js';
import { FILE_OPEN_NO_RECALL, type FileHandle } from '../../main/io/index.js';
import type { Below } from './below.js';

export type Base =
  | { kind: 'empty' }
  | { kind: 'plain'; size: number }
  | {
      kind: 'age';
      /** The header and the payload nonce: all that is needed to unwrap the file key. */
      prefix: Uint8Array;
      payloadStart: number;
      chunkCount: number;
      plaintextSize: number;
      ciphertextSize: number;
    }
  | { kind: 'corrupt'; reason: string; ciphertextSize: number };

/** The intro line of any age version, then its end (a newline, or the end of a file cut short inside it). */
const INTRO_LINE = /^age-encryption\.org\/v[0-9]+(\n|$)/;
/** Enough of the file to see the intro line whole. */
const INTRO_BYTES = 32;
const FIRST_READ = 4096;
/** Headers larger than this are refused: no real recipient list comes near it. */
const MAX_HEADER = 1024 * 1024;

export async function probe(below: Below, handle: FileHandle): Promise<Base> {
  const size = await below.size(handle);
  if (size === 0) return { kind: 'empty' };
  let head = await below.readAt(handle, 0, Math.min(size, FIRST_READ));
  if (!claimsToBeAge(head, size)) return { kind: 'plain', size };
  for (;;) {
    try {
      const header = parseHeader(head);
      const payloadStart = header.length + NONCE_SIZE;
      if (size < payloadStart) return { kind: 'corrupt', reason: 'the file ends inside the payload nonce', ciphertextSize: size };
      const layout = payloadLayout(size - payloadStart);
      if (head.length < payloadStart) head = await below.readAt(handle, 0, payloadStart);
      return { kind: 'age', prefix: copyBytes(head, 0, payloadStart), payloadStart, chunkCount: layout.chunkCount, plaintextSize: layout.plaintextSize, ciphertextSize: size };
    } catch (error) {
      if (error instanceof TruncatedError && head.length < size && head.length < MAX_HEADER) {
        head = await below.readAt(handle, 0, Math.min(size, head.length * 4, MAX_HEADER));
        continue;
      }
      if (error instanceof MalformedHeaderError || error instanceof TruncatedError || isPayloadFormatError(error)) {
        return { kind: 'corrupt', reason: (error as Error).message, ciphertextSize: size };
      }
      throw error;
    }
  }
}

function isPayloadFormatError(error: unknown): error is PayloadFormatError {
  return error instanceof Error && error.name === 'PayloadFormatError';
}

/** Whether the file begins with an age intro line (the whole of it, when the file ends inside one). */
function claimsToBeAge(head: Uint8Array, size: number): boolean {
  const start = Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, INTRO_BYTES)).toString('latin1');
  const match = INTRO_LINE.exec(start);
  return match !== null && (match[1] === '\n' || start.length === size);
}

/**
 * Probes `name` through its own open made with FILE_OPEN_NO_RECALL, so that looking at a header never
 * makes the HSM below recall a cold file (a listing would otherwise recall every stub in it). Null when
 * the file cannot be opened (gone, or a directory).
 */
export async function probeByName(below: Below, name: string): Promise<Base | null> {
  const opened = await below.tryOpen(name, FILE_OPEN_NO_RECALL);
  if (opened.handle === null) return null;
  try {
    return await probe(below, opened.handle);
  } finally {
    await below.close(opened.handle);
  }
}
