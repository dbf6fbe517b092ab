// Sentinel errors of the age library, in the style of FiloSottile/age: callers tell failures apart by
// class (instanceof), and each message names what is wrong and where (line, chunk index).

/** Base class: every failure the age library raises on purpose. */
export class AgeError extends Error {
  override name = 'AgeError';
}

/** The header does not follow the age v1 grammar; `line` is 1-based when known. */
export class MalformedHeaderError extends AgeError {
  override name = 'MalformedHeaderError';
  constructor(message: string, readonly line?: number) {
    super(line === undefined ? `malformed age header: ${message}` : `malformed age header, line ${line}: ${message}`);
  }
}

/** The header parsed, but no identity could unwrap any recipient stanza (wrong key or passphrase). */
export class NoIdentityMatchError extends AgeError {
  override name = 'NoIdentityMatchError';
  constructor(message = 'no identity matched any of the recipients (wrong key or passphrase)') {
    super(message);
  }
}

/** A file key was unwrapped but the header MAC does not match: the header was changed. */
export class HeaderMacError extends AgeError {
  override name = 'HeaderMacError';
  constructor() {
    super('the age header MAC does not match: the header was modified');
  }
}

/** An scrypt stanza asks for more work than the caller allows (a denial-of-service guard). */
export class WorkFactorTooHighError extends MalformedHeaderError {
  override name = 'WorkFactorTooHighError';
  constructor(readonly workFactor: number, readonly maxWorkFactor: number) {
    super(`scrypt work factor 2^${workFactor} exceeds the allowed maximum 2^${maxWorkFactor}`);
  }
}

/** The file ends early: inside the header, before the payload nonce, or before the final chunk. */
export class TruncatedError extends AgeError {
  override name = 'TruncatedError';
  constructor(what: string) {
    super(`the age file is truncated: ${what}`);
  }
}

/** A payload chunk failed authentication (modified, reordered, swapped, or wrong final flag). */
export class ChunkAuthenticationError extends AgeError {
  override name = 'ChunkAuthenticationError';
  constructor(readonly chunkIndex: number, detail = 'it was modified, moved or truncated') {
    super(`payload chunk ${chunkIndex} failed authentication: ${detail}`);
  }
}

/** The payload's layout is impossible: data after the final chunk, an empty final chunk, no chunks. */
export class PayloadFormatError extends AgeError {
  override name = 'PayloadFormatError';
}

/** ASCII armor that does not follow the age armor rules; `line` is 1-based when known. */
export class ArmorError extends AgeError {
  override name = 'ArmorError';
  constructor(message: string, readonly line?: number) {
    super(line === undefined ? `invalid age armor: ${message}` : `invalid age armor, line ${line}: ${message}`);
  }
}

/** A recipient or identity string that is not a valid age1… / AGE-SECRET-KEY-1… encoding. */
export class KeyFormatError extends AgeError {
  override name = 'KeyFormatError';
}
