// The quarantine's refusals and failures, worded for the user: what was asked, where, and why not.

export class QuarantineError extends Error {
  override readonly name = 'QuarantineError';
}
