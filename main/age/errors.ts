// Sentinel errors of the age library, in the style of FiloSottile/age: callers tell failures apart by
// class (instanceof), and each message names what is wrong and where (line, chunk index).

/** Base class: every failure the age library raises on purpose. */
export class AgeError extends Error {
  override name = 'AgeError';
}

/** A failure at a place in the input: "<what>, line <n>: <message>" (`line` is 1-based when known). */
abstract class LocatedError extends AgeError {
  constructor(what: string, message: string, readonly line?: number) {
    super(line === undefined ? `${what}: ${message}` : `${what}, line ${line}: ${message}`);
  }
}

/** The header does not follow the age v1 grammar. */
export class MalformedHeaderError extends LocatedError {
  override name = 'MalformedHeaderError';
  constructor(message: string, line?: number) {
    super('malformed age header', message, line);
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

/** ASCII armor that does not follow the age armor rules. */
export class ArmorError extends LocatedError {
  override name = 'ArmorError';
  constructor(message: string, line?: number) {
    super('invalid age armor', message, line);
  }
}

/** A recipient or identity string that is not a valid age1… / AGE-SECRET-KEY-1… encoding. */
export class KeyFormatError extends AgeError {
  override name = 'KeyFormatError';
}
