// Optional Ed25519 signatures of policy files (libsodium): key files, signing an exported document and
// verifying one before import. The signature covers the canonical JSON of the document without its
// "signature" field, after a domain-separation line, so re-indenting a file keeps it valid and any
// change of a value breaks it. Verification uses the key file the user trusts, never the embedded key;
// the agent verifies (an import request carries the trusted key file's text), so the CLI and the GUI
// check signatures by the same code.

import { readFileSync, statSync, unlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { loadSodium } from '../../age/index.js';
import {
  ApiRequestError, canonicalJson, invalidRequest, MAX_VERIFY_KEY_FILE_BYTES, PolicySignature, PolicyVerifyKeyFile,
  SIGNATURE_FIELD, VERIFY_KEY_FIELD, verifyKeyFileTooLarge, type ImportPolicyResult, type TrustedKeyFile, type VerifiedSignature,
} from '../../api/index.js';
import { POLICY_FILE_MAX_DEPTH, tooDeepAt } from '../../api/json-depth.js';
import { writePrivateFileAtomic } from '../server/private-file.js';
import { createPrivateFileExclusively, FileExistsError, nameTaken } from './new-private-file.js';

const DOMAIN = 'strata-policy-signature-v1\n';

const SecretKeyFile = z.strictObject({
  type: z.literal('strata-policy-signing-key'),
  algorithm: z.literal('ed25519'),
  secretKey: z.base64().refine((s) => Buffer.from(s, 'base64').length === 64, 'an Ed25519 secret key is 64 bytes'),
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

/**
 * Throws unless `document` carries a signature that verifies with the trusted key file's key (never
 * with the key the document names); answers which key verified it. A refusal is reported at
 * SIGNATURE_FIELD or VERIFY_KEY_FIELD, so a client can tell it from other problems of the document.
 */
export async function verifyPolicyDocument(document: unknown, trusted: TrustedKeyFile): Promise<VerifiedSignature> {
  const sodium = await loadSodium();
  const { publicKey } = parseKeyFile(trusted.content, trusted.name, PolicyVerifyKeyFile, 'public key', VERIFY_KEY_FIELD);
  if (typeof document !== 'object' || document === null || Array.isArray(document) || !('signature' in document)) {
    throw new ApiRequestError('invalid-request', `the policy document is not signed, so it cannot be verified with the key in ${trusted.name}`, SIGNATURE_FIELD);
  }
  const tooDeep = tooDeepAt(document, POLICY_FILE_MAX_DEPTH);
  if (tooDeep !== null) throw new ApiRequestError('invalid-request', `the policy document is invalid: nested deeper than ${POLICY_FILE_MAX_DEPTH} at ${tooDeep}`, tooDeep);
  const { signature, ...unsigned } = document as Record<string, unknown>;
  const parsed = PolicySignature.safeParse(signature);
  if (!parsed.success) {
    const invalid = invalidRequest('the signature of the policy document', parsed.error, ['signature']);
    throw new ApiRequestError(invalid.code, invalid.message, SIGNATURE_FIELD);
  }
  const trustedKey = bytesOf(publicKey);
  if (!sodium.crypto_sign_verify_detached(bytesOf(parsed.data.value), signedBytes(unsigned), trustedKey)) {
    const why = sodium.memcmp(bytesOf(parsed.data.publicKey), trustedKey)
      ? 'the document was changed after it was signed'
      : `it was signed with another key, or changed after signing (it names the signing key ${parsed.data.publicKey}, which proves nothing; the key file holds ${publicKey})`;
    throw new ApiRequestError('invalid-request', `the signature of the policy document does not verify with the key in ${trusted.name}: ${why}`, SIGNATURE_FIELD);
  }
  return { keyFile: trusted.name, publicKey };
}

/** Runs an import after its signature check, when it asks for one; the answer names the key that verified it. */
export async function importVerified(request: { document: unknown; verifyWith?: TrustedKeyFile | undefined }, run: () => Promise<ImportPolicyResult>): Promise<ImportPolicyResult> {
  if (request.verifyWith === undefined) return run();
  const verifiedWith = await verifyPolicyDocument(request.document, request.verifyWith);
  return { ...(await run()), verifiedWith };
}

/** The trusted public key file at `path`, as an import request carries it (its text, under its path). */
export function readTrustedKeyFile(path: string): TrustedKeyFile {
  return { name: path, content: readKeyText(path, 'public key', MAX_VERIFY_KEY_FILE_BYTES) };
}

function bytesOf(base64: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

function signedBytes(unsigned: Record<string, unknown>): Uint8Array {
  return new TextEncoder().encode(DOMAIN + canonicalJson(unsigned));
}

function readKeyFile<T>(path: string, schema: z.ZodType<T>, what: string): T {
  return parseKeyFile(readKeyText(path, what, Infinity), path, schema, what, null);
}

function readKeyText(path: string, what: string, maxBytes: number): string {
  try {
    const { size } = statSync(path);
    if (size > maxBytes) throw new ApiRequestError('invalid-request', verifyKeyFileTooLarge(path, size));
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof ApiRequestError) throw error;
    throw new ApiRequestError('invalid-request', `cannot read the ${what} file ${path}: ${(error as Error).message}`);
  }
}

/** A key file's text checked against its schema; every problem names the file (and `field`, in a request). */
function parseKeyFile<T>(text: string, name: string, schema: z.ZodType<T>, what: string, field: string | null): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ApiRequestError('invalid-request', `the ${what} file ${name} is not valid JSON: ${(error as Error).message}`, field);
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const invalid = invalidRequest(`the ${what} file ${name}`, parsed.error);
  throw field === null ? invalid : new ApiRequestError(invalid.code, invalid.message, field);
}
