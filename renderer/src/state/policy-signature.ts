// What a chosen policy file says about its signature before anything is checked (signed, naming a key
// that is only a claim; not signed; a malformed signature field), and the trusted public key file the
// user picks, read with a size limit. The check itself runs on the agent (importPolicy's verifyWith),
// with the picked key only.

import { MAX_VERIFY_KEY_FILE_BYTES, PolicySignature, verifyKeyFileTooLarge, type TrustedKeyFile } from '../../../main/api/index.js';

export type ClaimedSignature =
  | { kind: 'unsigned' }
  /** `publicKey` is what the file says; it proves nothing until a trusted key verifies the signature. */
  | { kind: 'signed'; publicKey: string }
  | { kind: 'malformed'; message: string };

export function claimedSignature(document: unknown): ClaimedSignature {
  if (typeof document !== 'object' || document === null || Array.isArray(document) || !('signature' in document)) return { kind: 'unsigned' };
  const parsed = PolicySignature.safeParse((document as { signature: unknown }).signature);
  if (!parsed.success) return { kind: 'malformed', message: parsed.error.issues[0]?.message ?? 'not a signature' };
  return { kind: 'signed', publicKey: parsed.data.publicKey };
}

export type ReadKeyFile = { ok: true; key: TrustedKeyFile } | { ok: false; message: string };

/** The picked key file as an import request carries it; a file far larger than a key is refused unread. */
export async function readTrustedKeyFile(file: Pick<File, 'name' | 'size' | 'text'>): Promise<ReadKeyFile> {
  if (file.size > MAX_VERIFY_KEY_FILE_BYTES) return { ok: false, message: sentence(verifyKeyFileTooLarge(file.name, file.size)) };
  return { ok: true, key: { name: file.name, content: await file.text() } };
}

/** An agent message as a sentence on screen. */
export function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
