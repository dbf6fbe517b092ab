// scrypt (passphrase) recipients and identities. The spec's rules: the stanza is "-> scrypt <salt> <log2 N>"
// with a 16-byte salt and a decimal work factor without leading zeros; it must be the only stanza; and a
// decrypter refuses work factors above its limit, so a hostile file cannot make it spin for hours.

import { openFileKey, sealFileKey } from './aead.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import { MalformedHeaderError, WorkFactorTooHighError } from './errors.js';
import type { Stanza } from './header.js';
import { FILE_KEY_LENGTH, type Identity, type Recipient } from './recipient.js';
import type { Sodium } from './sodium.js';

const LABEL = 'age-encryption.org/v1/scrypt';
const SALT_LENGTH = 16;
/** What the age CLI accepts by default when decrypting. */
export const DEFAULT_MAX_WORK_FACTOR = 22;
export const DEFAULT_WORK_FACTOR = 18;
/**
 * The largest work factor libsodium-wrappers-sumo can compute: scrypt needs 128·r·N bytes (1 GiB at 2^20,
 * r = 8) of its WebAssembly heap, and 2^21 no longer fits (libsodium fails with 'invalid usage'). Neither
 * direction goes beyond it: a file asking for more is refused as too costly, before any work.
 */
export const MAX_COMPUTABLE_WORK_FACTOR = 20;

function deriveKey(sodium: Sodium, passphrase: Uint8Array, salt: Uint8Array, workFactor: number): Uint8Array {
  const labelled = new Uint8Array(LABEL.length + salt.length);
  labelled.set(new TextEncoder().encode(LABEL), 0);
  labelled.set(salt, LABEL.length);
  return sodium.crypto_pwhash_scryptsalsa208sha256_ll(passphrase, labelled, 2 ** workFactor, 8, 1, 32);
}

function passphraseBytes(passphrase: string | Uint8Array): Uint8Array {
  return typeof passphrase === 'string' ? new TextEncoder().encode(passphrase) : passphrase;
}

export class ScryptRecipient implements Recipient {
  readonly mustBeAlone = true;
  private readonly passphrase: Uint8Array;

  constructor(private readonly sodium: Sodium, passphrase: string | Uint8Array, readonly workFactor = DEFAULT_WORK_FACTOR) {
    if (!Number.isInteger(workFactor) || workFactor < 1 || workFactor > MAX_COMPUTABLE_WORK_FACTOR) {
      throw new RangeError(`scrypt work factor must be 1..${MAX_COMPUTABLE_WORK_FACTOR} (2^${MAX_COMPUTABLE_WORK_FACTOR + 1} and above need more memory than libsodium can use), got ${workFactor}`);
    }
    this.passphrase = passphraseBytes(passphrase);
  }

  wrap(fileKey: Uint8Array): Stanza[] {
    const salt = this.sodium.randombytes_buf(SALT_LENGTH);
    const key = deriveKey(this.sodium, this.passphrase, salt, this.workFactor);
    const body = sealFileKey(this.sodium, key, fileKey);
    this.sodium.memzero(key);
    return [{ type: 'scrypt', args: [encodeBase64(salt), String(this.workFactor)], body }];
  }
}

export class ScryptIdentity implements Identity {
  private readonly passphrase: Uint8Array;

  constructor(private readonly sodium: Sodium, passphrase: string | Uint8Array, readonly maxWorkFactor = DEFAULT_MAX_WORK_FACTOR) {
    this.passphrase = passphraseBytes(passphrase);
  }

  unwrap(stanza: Stanza): Uint8Array | null {
    if (stanza.type !== 'scrypt') return null;
    if (stanza.args.length !== 2) throw new MalformedHeaderError(`an scrypt stanza has exactly two arguments, found ${stanza.args.length}`);
    const salt = decodeBase64(stanza.args[0]!);
    if (salt === null || salt.length !== SALT_LENGTH) throw new MalformedHeaderError('the scrypt salt is not 16 bytes of canonical base64');
    const factorText = stanza.args[1]!;
    if (!/^[1-9][0-9]{0,2}$/.test(factorText)) throw new MalformedHeaderError(`the scrypt work factor '${factorText.slice(0, 20)}' is not a decimal number without leading zeros`);
    const workFactor = Number(factorText);
    const limit = Math.min(this.maxWorkFactor, MAX_COMPUTABLE_WORK_FACTOR);
    if (workFactor > limit) throw new WorkFactorTooHighError(workFactor, limit);
    if (stanza.body.length !== FILE_KEY_LENGTH + 16) throw new MalformedHeaderError('the scrypt stanza body is not a wrapped 16-byte file key');
    const key = deriveKey(this.sodium, this.passphrase, salt, workFactor);
    const fileKey = openFileKey(this.sodium, key, stanza.body);
    this.sodium.memzero(key);
    return fileKey;
  }

  wipe(): void {
    this.sodium.memzero(this.passphrase);
  }
}
