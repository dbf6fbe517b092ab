// The signature model shared by the parsers and the engine: hash signatures (.hdb/.hsb), body
// signatures (.ndb, and the subsignatures of .ldb) as parsed ClamAV hex patterns, logical signatures.

export type HashAlgorithm = 'md5' | 'sha1' | 'sha256';

/** Where a signature came from, for notices and for `sigs list`. */
export interface SignatureOrigin {
  readonly file: string;
  readonly line: number;
}

export interface HashSignature {
  readonly name: string;
  readonly algorithm: HashAlgorithm;
  /** Lower-case hex digest. */
  readonly hash: string;
  /** Exact file size in bytes, or null for the wildcard size `*`. */
  readonly size: number | null;
  readonly origin: SignatureOrigin;
}

/** Where a body pattern must start: anywhere, at [start, start+shift], or at [size-back, size-back+shift]. */
export type PatternOffset =
  | { readonly kind: 'any' }
  | { readonly kind: 'absolute'; readonly start: number; readonly shift: number }
  | { readonly kind: 'eof'; readonly back: number; readonly shift: number };

/** A fixed-length run of byte matchers: byte i matches when (b & mask[i]) === value[i]. */
export interface FixedElement {
  readonly kind: 'fixed';
  readonly value: Uint8Array;
  readonly mask: Uint8Array;
}

/** `(aa|bbcc)`: one of the options; `!(aa|bb)`: one byte that is none of them. */
export interface AltElement {
  readonly kind: 'alt';
  readonly options: readonly Uint8Array[];
  readonly negated: boolean;
}

/** A bounded gap of min..max arbitrary bytes (`{n-m}`, `{-n}`, `[n-m]`). */
export interface GapElement {
  readonly kind: 'gap';
  readonly min: number;
  readonly max: number;
}

export type PatternElement = FixedElement | AltElement | GapElement;

/**
 * A piece of a pattern between unbounded gaps (`*`, `{n-}`): its length is bounded, so a stream
 * scanner needs only a bounded window to verify it.
 */
export interface PatternChunk {
  readonly elements: readonly PatternElement[];
  /** Bytes that must separate this chunk from the previous one (0 for `*`, n for `{n-}`). */
  readonly minGapBefore: number;
}

export interface BodyPattern {
  readonly chunks: readonly PatternChunk[];
  /** The hex text it was parsed from, for messages. */
  readonly text: string;
}

/** A body signature (.ndb line or one .ldb subsignature): a pattern and where it may start. */
export interface BodySignature {
  readonly name: string;
  readonly offset: PatternOffset;
  readonly pattern: BodyPattern;
  readonly origin: SignatureOrigin;
}

/** A node of a logical expression over subsignature match counts. */
export type LogicalExpression =
  | { readonly kind: 'sub'; readonly index: number }
  | { readonly kind: 'and' | 'or'; readonly children: readonly LogicalExpression[] }
  | { readonly kind: 'count'; readonly op: '=' | '>' | '<'; readonly count: number; readonly distinct: number; readonly child: LogicalExpression };

export interface LogicalSignature {
  readonly name: string;
  readonly expression: LogicalExpression;
  readonly subsignatures: readonly BodySignature[];
  /** The TDB FileSize range, when given. */
  readonly fileSize: { readonly min: number; readonly max: number } | null;
  readonly origin: SignatureOrigin;
}

/** A valid signature Strata skipped (another target, an unsupported feature), reported to the user. */
export interface SignatureNotice {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}
