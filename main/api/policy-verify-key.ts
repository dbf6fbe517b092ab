// The public key a user trusts for policy signatures, as it travels in an import request: the text of the
// `strata-policy-verify-key` file that `strata policy keygen` writes, with the file's name for messages.
// Content, not a path: the GUI in a browser has no paths, and the agent never opens a file a client names.

import { z } from 'zod';
import { ApiRequestError } from './api-error.js';
import { base64OfLength } from './base64.js';

/** A key file is about 120 bytes; anything much larger is another file picked by mistake. */
export const MAX_VERIFY_KEY_FILE_BYTES = 4096;

/** The file `strata policy keygen` writes for whoever imports. */
export const PolicyVerifyKeyFile = z.strictObject({
  type: z.literal('strata-policy-verify-key', { error: 'not a Strata policy public key (type must be "strata-policy-verify-key")' }),
  algorithm: z.literal('ed25519', { error: 'the only key algorithm is "ed25519"' }),
  publicKey: base64OfLength(32, 'an Ed25519 public key'),
});
export type PolicyVerifyKeyFile = z.infer<typeof PolicyVerifyKeyFile>;

export const TrustedKeyFile = z.strictObject({
  /** The key file's name or path, for messages. */
  name: z.string().min(1).max(4096),
  /** The key file's text. */
  content: z.string().max(MAX_VERIFY_KEY_FILE_BYTES),
});
export type TrustedKeyFile = z.infer<typeof TrustedKeyFile>;

/** What an import answers when its signature verified: with which key file and key. */
export const VerifiedSignature = z.strictObject({ keyFile: z.string(), publicKey: z.string() });
export type VerifiedSignature = z.infer<typeof VerifiedSignature>;

/** The refusal of a key file by its size, in the same words wherever the file is read (CLI, GUI). */
export function verifyKeyFileTooLarge(name: string, bytes: number): string {
  return `the public key file ${name} is ${bytes} bytes, more than a Strata public key file (at most ${MAX_VERIFY_KEY_FILE_BYTES}): choose the .pub file that strata policy keygen wrote`;
}

/** Where the agent reports a refused signature: the document's side, or the trusted key file's. */
export const SIGNATURE_FIELD = '$.signature';
export const VERIFY_KEY_FIELD = '$.verifyWith';

/** Whether an import was refused by its signature check (not signed, not verifying, a bad key file). */
export function isSignatureRefusal(error: unknown): error is ApiRequestError {
  return error instanceof ApiRequestError && (error.path === SIGNATURE_FIELD || error.path === VERIFY_KEY_FIELD);
}
