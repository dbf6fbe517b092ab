// A loaded set of signatures: what the engine compiles, with the notices raised while reading it and
// a summary per database file for `sigs list`.

import type { BodySignature, HashSignature, LogicalSignature, SignatureNotice } from './signature-types.js';

export interface DatabaseSummary {
  /** The file (or container/member) read. */
  readonly file: string;
  readonly signatures: number;
  readonly skipped: number;
  /** A container's version, when the file is a .cvd/.cld. */
  readonly version?: number;
}

export interface SignatureSet {
  readonly hashes: readonly HashSignature[];
  readonly bodies: readonly BodySignature[];
  readonly logicals: readonly LogicalSignature[];
  readonly notices: readonly SignatureNotice[];
  readonly databases: readonly DatabaseSummary[];
}

export const EMPTY_SIGNATURE_SET: SignatureSet = { hashes: [], bodies: [], logicals: [], notices: [], databases: [] };
