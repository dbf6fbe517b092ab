// The age v1 format library (C2SP age spec) over Uint8Arrays: keys, header, STREAM payload, armor.
// No file I/O and no Node built-ins here: the crypt filter, the scan quarantine and the CLI bring the bytes.

export { loadSodium, type Sodium } from './sodium.js';
export * from './errors.js';
export { encodeBase64, decodeBase64 } from './base64.js';
export { encodeBech32, decodeBech32 } from './bech32.js';
export { parseHeader, concat, copyBytes, VERSION_LINE, type Stanza, type ParsedHeader } from './header.js';
export { FILE_KEY_LENGTH, type Recipient, type Identity } from './recipient.js';
export { X25519Recipient, X25519Identity } from './x25519.js';
export { ScryptRecipient, ScryptIdentity, DEFAULT_MAX_WORK_FACTOR, DEFAULT_WORK_FACTOR } from './scrypt.js';
export {
  CHUNK_SIZE, TAG_SIZE, ENCRYPTED_CHUNK_SIZE, NONCE_SIZE, chunkNonce, encryptChunk, decryptChunk, payloadLayout,
  chunkCountFor, encryptedSize, chunkOffset, type PayloadLayout,
} from './stream.js';
export { beginEncryption, encrypt, type EncryptionStart } from './encrypt.js';
export { openHeader, decryptPayload, decrypt, type OpenedFile } from './decrypt.js';
export { armor, dearmor, isArmored, ARMOR_BEGIN, ARMOR_END } from './armor.js';
