// X25519 recipients ("age1…") and identities ("AGE-SECRET-KEY-1…"): the file key is wrapped under
// HKDF(ECDH(ephemeral, recipient), salt = share || recipient, info "age-encryption.org/v1/X25519").

import { openFileKey, sealFileKey } from './aead.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import { decodeBech32, encodeBech32 } from './bech32.js';
import { KeyFormatError, MalformedHeaderError } from './errors.js';
import type { Stanza } from './header.js';
import { hkdfSha256 } from './hkdf.js';
import { FILE_KEY_LENGTH, type Identity, type Recipient } from './recipient.js';
import type { Sodium } from './sodium.js';

const LABEL = 'age-encryption.org/v1/X25519';
const KEY_LENGTH = 32;
const RECIPIENT_HRP = 'age';
const IDENTITY_HRP = 'age-secret-key-';

export class X25519Recipient implements Recipient {
  constructor(private readonly sodium: Sodium, readonly publicKey: Uint8Array) {
    if (publicKey.length !== KEY_LENGTH) throw new KeyFormatError('an X25519 recipient is 32 bytes');
  }

  static parse(sodium: Sodium, text: string): X25519Recipient {
    const { hrp, data } = decodeBech32(text.trim());
    if (hrp !== RECIPIENT_HRP || text.trim() !== text.trim().toLowerCase()) throw new KeyFormatError(`'${text.slice(0, 12)}…' is not an age1… recipient`);
    return new X25519Recipient(sodium, data);
  }

  toString(): string {
    return encodeBech32(RECIPIENT_HRP, this.publicKey);
  }

  wrap(fileKey: Uint8Array): Stanza[] {
    const sodium = this.sodium;
    const ephemeral = sodium.randombytes_buf(KEY_LENGTH);
    const share = sodium.crypto_scalarmult_base(ephemeral);
    const shared = sodium.crypto_scalarmult(ephemeral, this.publicKey);
    const wrapKey = hkdfSha256(sodium, shared, salt(share, this.publicKey), LABEL, 32);
    const body = sealFileKey(sodium, wrapKey, fileKey);
    sodium.memzero(ephemeral);
    sodium.memzero(shared);
    sodium.memzero(wrapKey);
    return [{ type: 'X25519', args: [encodeBase64(share)], body }];
  }
}

export class X25519Identity implements Identity {
  readonly publicKey: Uint8Array;

  constructor(private readonly sodium: Sodium, private readonly secretKey: Uint8Array) {
    if (secretKey.length !== KEY_LENGTH) throw new KeyFormatError('an X25519 identity is 32 bytes');
    this.publicKey = sodium.crypto_scalarmult_base(secretKey);
  }

  static generate(sodium: Sodium): X25519Identity {
    return new X25519Identity(sodium, sodium.randombytes_buf(KEY_LENGTH));
  }

  static parse(sodium: Sodium, text: string): X25519Identity {
    const trimmed = text.trim();
    const { hrp, data } = decodeBech32(trimmed);
    if (hrp !== IDENTITY_HRP || trimmed !== trimmed.toUpperCase()) throw new KeyFormatError('not an AGE-SECRET-KEY-1… identity');
    return new X25519Identity(sodium, data);
  }

  recipient(): X25519Recipient {
    return new X25519Recipient(this.sodium, this.publicKey);
  }

  /** The AGE-SECRET-KEY-1… encoding (handle with care: it is the key). */
  toString(): string {
    return encodeBech32(IDENTITY_HRP, this.secretKey, true);
  }

  unwrap(stanza: Stanza): Uint8Array | null {
    if (stanza.type !== 'X25519') return null;
    if (stanza.args.length !== 1) throw new MalformedHeaderError(`an X25519 stanza has exactly one argument, found ${stanza.args.length}`);
    const share = decodeBase64(stanza.args[0]!);
    if (share === null || share.length !== KEY_LENGTH) throw new MalformedHeaderError('the X25519 share is not 32 bytes of canonical base64');
    if (stanza.body.length !== FILE_KEY_LENGTH + 16) throw new MalformedHeaderError('the X25519 stanza body is not a wrapped 16-byte file key');
    const shared = scalarMult(this.sodium, this.secretKey, share);
    const wrapKey = hkdfSha256(this.sodium, shared, salt(share, this.publicKey), LABEL, 32);
    this.sodium.memzero(shared);
    const fileKey = openFileKey(this.sodium, wrapKey, stanza.body);
    this.sodium.memzero(wrapKey);
    return fileKey;
  }

  /** A copy of the 32-byte secret key, to move the identity to another thread (new X25519Identity there); the caller wipes it. */
  secretKeyCopy(): Uint8Array {
    return this.secretKey.slice();
  }

  /** Overwrites the secret key: the identity is unusable afterwards (vault lock). */
  wipe(): void {
    this.sodium.memzero(this.secretKey);
  }
}

/** ECDH; a low-order share gives the all-zero secret, which the spec requires us to refuse. */
function scalarMult(sodium: Sodium, secret: Uint8Array, share: Uint8Array): Uint8Array {
  let shared: Uint8Array;
  try {
    shared = sodium.crypto_scalarmult(secret, share);
  } catch {
    throw new MalformedHeaderError('the X25519 share is a low-order point (all-zero shared secret)');
  }
  if (shared.every((byte) => byte === 0)) throw new MalformedHeaderError('the X25519 share is a low-order point (all-zero shared secret)');
  return shared;
}

function salt(share: Uint8Array, recipient: Uint8Array): Uint8Array {
  const out = new Uint8Array(share.length + recipient.length);
  out.set(share, 0);
  out.set(recipient, share.length);
  return out;
}
