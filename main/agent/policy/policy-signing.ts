// Optional Ed25519 signatures of policy files (libsodium): key files, signing an exported document and
// verifying one before import. The signature covers the canonical JSON of the document without its
// "signature" field, after a domain-separation line, so re-indenting a file keeps it valid and any
// change of a value breaks it. Verification uses the key file the user trusts, never the embedded key.

import { readFileSync, unlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { loadSodium } from '../../age/index.js';
import { ApiRequestError, canonicalJson, invalidRequest, PolicySignature } from '../../api/index.js';
import { writePrivateFileAtomic } from '../server/private-file.js';
import { createPrivateFileExclusively, FileExistsError, nameTaken } from './new-private-file.js';

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

export interface KeygenOptions {
  /** Replace key files that already exist (`--force`); without it an existing file is refused, untouched. */
  replace?: boolean;
}

/**
 * Writes a new key pair: the secret key owner-only, the public key for whoever imports. Never replaces an
 * existing key file unless asked: a signing key overwritten is lost for good, and every verifier holding
 * its public key can no longer be served.
 */
export async function generateSigningKeys(secretKeyPath: string, publicKeyPath: string, options: KeygenOptions = {}): Promise<{ publicKey: string }> {
  if (resolve(secretKeyPath) === resolve(publicKeyPath)) {
    throw new ApiRequestError('invalid-request', `the secret and the public key cannot both be written to ${secretKeyPath}: name two files`);
  }
  const write = options.replace === true ? writePrivateFileAtomic : createPrivateFileExclusively;
  if (options.replace !== true) {
    for (const [path, what] of [[secretKeyPath, 'secret key'], [publicKeyPath, 'public key']] as const) {
      if (nameTaken(path)) throw keyFileExists(path, what);
    }
  }
  const sodium = await loadSodium();
  const pair = sodium.crypto_sign_keypair();
  const publicKey = Buffer.from(pair.publicKey).toString('base64');
  try {
    write(secretKeyPath, `${JSON.stringify({ type: 'strata-policy-signing-key', algorithm: 'ed25519', secretKey: Buffer.from(pair.privateKey).toString('base64') }, null, 2)}\n`);
  } catch (error) {
    throw error instanceof FileExistsError ? keyFileExists(secretKeyPath, 'secret key') : error;
  } finally {
    sodium.memzero(pair.privateKey);
  }
  try {
    write(publicKeyPath, `${JSON.stringify({ type: 'strata-policy-verify-key', algorithm: 'ed25519', publicKey }, null, 2)}\n`);
  } catch (error) {
    // Half a pair is no use: the secret key just made goes again (it was new, nothing else has it).
    if (options.replace !== true) unlinkSync(secretKeyPath);
    throw error instanceof FileExistsError ? keyFileExists(publicKeyPath, 'public key') : error;
  }
  return { publicKey };
}

function keyFileExists(path: string, what: string): ApiRequestError {
  return new ApiRequestError('conflict', `the ${what} file ${path} already exists; keygen does not replace a key (a replaced signing key is lost for good): name another file, or pass --force to replace it`);
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
