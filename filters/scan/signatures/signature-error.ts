// Errors raised while reading signature databases. Each names the database file and, when it concerns
// one line, the line number, so that a user can find and fix the line (as clamscan reports them).

export class SignatureError extends Error {
  override readonly name = 'SignatureError';
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly reason: string,
  ) {
    super(line === null ? `${file}: ${reason}` : `${file}:${line}: ${reason}`);
  }
}

/** A problem with one field of one line; the line loop turns it into a SignatureError with the place. */
export class FieldError extends Error {
  override readonly name = 'FieldError';
}

/** A valid line that Strata does not use (another target, an unsupported feature): skipped with a notice. */
export class SkipSignature extends Error {
  override readonly name = 'SkipSignature';
}
