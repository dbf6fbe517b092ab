// The two small interfaces of age (as FiloSottile/age's Recipient.Wrap and Identity.Unwrap): a recipient
// wraps a file key into stanzas; an identity unwraps a stanza back into the file key, or says "not mine".

import type { Stanza } from './header.js';

export const FILE_KEY_LENGTH = 16;

export interface Recipient {
  wrap(fileKey: Uint8Array): Stanza[];
  /** True for recipients that must be the only one in a header (scrypt: a passphrase is not a key to share). */
  readonly mustBeAlone?: boolean;
}

export interface Identity {
  /**
   * The file key when this identity can open `stanza`; null when the stanza is of another type or for
   * another key. Throws MalformedHeaderError when the stanza is of this identity's type but malformed.
   */
  unwrap(stanza: Stanza): Uint8Array | null;
}
