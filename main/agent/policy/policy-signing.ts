// Optional Ed25519 signatures of policy files (libsodium): key files, signing an exported document and
// verifying one before import. The signature covers the canonical JSON of the document without its
// "signature" field, after a domain-separation line, so re-indenting a file keeps it valid and any
// change of a value breaks it. Verification uses the key file the user trusts, never the embedded key.

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { loadSodium } from '../../age/index.js';
import { ApiRequestError, canonicalJson, invalidRequest, PolicySignature } from '../../api/index.js';
import { writePrivateFileAtomic } from '../server/private-file.js';

const DOMAIN = 'strata-policy-signature-v1\n';

const SecretKeyFile = z.strictObject({
  type: z.literal('strata-policy-signing-key'),
  algorithm: z.literal('ed25519'),
  secretKey: z.base64().refine((s) => Buffer.from(s, 'base64').length === 64, 'an Ed25519 secret key is 64 bytes'),
});
const PublicKeyFile = z.strictObject({
  type: z.literal('strata-policy-verify-key'),
  algorithm: z.literal('ed25519'),
  publicKey: z.base64().refine((s) => Buffer.from(s, 'base64').length === 32, 'an Ed25519 public key is 32 bytes'),
});

/** Writes a new key pair: the secret key owner-only, the public key for whoever imports. */
export async function generateSigningKeys(secretKeyPath: string, publicKeyPath: string): Promise<{ publicKey: string }> {
  const sodium = await loadSodium();
  const pair = sodium.crypto_sign_keypair();
  const publicKey = Buffer.from(pair.publicKey).toString('base64');
  writePrivateFileAtomic(secretKeyPath, `${JSON.stringify({ type: 'strata-policy-signing-key', algorithm: 'ed25519', secretKey: Buffer.from(pair.privateKey).toString('base64') }, null, 2)}\n`);
  sodium.memzero(pair.privateKey);
  writePrivateFileAtomic(publicKeyPath, `${JSON.stringify({ type: 'strata-policy-verify-key', algorithm: 'ed25519', publicKey }, null, 2)}\n`);
  return { publicKey };
}

/** The document with a "signature" field added (any previous signature is replaced). */
export async function signPolicyDocument(document: Record<string, unknown>, secretKeyPath: string): Promise<Record<string, unknown>> {
  const sodium = await loadSodium();
  const { secretKey } = readKeyFile(secretKeyPath, SecretKeyFile, 'secret key');
  const key = new Uint8Array(Buffer.from(secretKey, 'base64'));
  try {
    const { signature: _old, ...unsigned } = document;
    const value = sodium.crypto_sign_detached(signedBytes(unsigned), key);
    const signature: PolicySignature = { algorithm: 'ed25519', publicKey: Buffer.from(sodium.crypto_sign_ed25519_sk_to_pk(key)).toString('base64'), value: Buffer.from(value).toString('base64') };
    return { ...unsigned, signature };
  } finally {
    sodium.memzero(key);
  }
}

/** Throws unless `document` carries a signature that verifies with the public key in `publicKeyPath`. */
export async function verifyPolicyDocument(document: unknown, publicKeyPath: string, documentName: string): Promise<void> {
  const sodium = await loadSodium();
  const { publicKey } = readKeyFile(publicKeyPath, PublicKeyFile, 'public key');
  if (typeof document !== 'object' || document === null || !('signature' in document)) {
    throw new ApiRequestError('invalid-request', `${documentName} is not signed, but --verify asks for a signature`, '$.signature');
  }
  const { signature, ...unsigned } = document as Record<string, unknown>;
  const parsed = PolicySignature.safeParse(signature);
  if (!parsed.success) throw invalidRequest(`the signature of ${documentName}`, parsed.error, ['signature']);
  const ok = sodium.crypto_sign_verify_detached(
    new Uint8Array(Buffer.from(parsed.data.value, 'base64')),
    signedBytes(unsigned),
    new Uint8Array(Buffer.from(publicKey, 'base64')),
  );
  if (!ok) {
    throw new ApiRequestError('invalid-request', `the signature of ${documentName} does not verify with the key in ${publicKeyPath}: the file was changed after signing, or signed by another key`, '$.signature');
  }
}

function signedBytes(unsigned: Record<string, unknown>): Uint8Array {
  return new TextEncoder().encode(DOMAIN + canonicalJson(unsigned));
}

function readKeyFile<T>(path: string, schema: z.ZodType<T>, what: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ApiRequestError('invalid-request', `cannot read the ${what} file ${path}: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw invalidRequest(`the ${what} file ${path}`, parsed.error);
  return parsed.data;
}
