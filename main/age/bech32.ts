// Bech32 (BIP 173, not bech32m) as age uses it for "age1…" recipients and "AGE-SECRET-KEY-1…" identities:
// no length limit, all-lowercase or all-uppercase, checksum verified.

import { KeyFormatError } from './errors.js';

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GENERATOR[i]!;
  }
  return chk;
}

function hrpExpand(hrp: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) >> 5);
  out.push(0);
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) & 31);
  return out;
}

function convertBits(data: ArrayLike<number>, from: number, to: number, pad: boolean): number[] | null {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  const max = (1 << to) - 1;
  for (let i = 0; i < data.length; i++) {
    acc = (acc << from) | data[i]!;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((acc >> bits) & max);
    }
  }
  if (pad) {
    if (bits > 0) out.push((acc << (to - bits)) & max);
  } else if (bits >= from || ((acc << (to - bits)) & max) !== 0) {
    return null;
  }
  return out;
}

/** Encodes `data` under `hrp`; the result is lowercase unless `upper`. */
export function encodeBech32(hrp: string, data: Uint8Array, upper = false): string {
  const lowHrp = hrp.toLowerCase();
  const words = convertBits(data, 8, 5, true)!;
  const values = [...hrpExpand(lowHrp), ...words, 0, 0, 0, 0, 0, 0];
  const mod = polymod(values) ^ 1;
  const checksum = [0, 1, 2, 3, 4, 5].map((i) => (mod >>> (5 * (5 - i))) & 31);
  const text = `${lowHrp}1${[...words, ...checksum].map((w) => CHARSET[w]).join('')}`;
  return upper ? text.toUpperCase() : text;
}

/** Decodes a bech32 string; the hrp comes back lowercase. */
export function decodeBech32(text: string): { hrp: string; data: Uint8Array } {
  if (text !== text.toLowerCase() && text !== text.toUpperCase()) throw new KeyFormatError('bech32 string mixes upper and lower case');
  const lower = text.toLowerCase();
  const split = lower.lastIndexOf('1');
  if (split < 1 || split + 7 > lower.length) throw new KeyFormatError('bech32 string has no separator or is too short');
  const hrp = lower.slice(0, split);
  for (let i = 0; i < hrp.length; i++) {
    const c = hrp.charCodeAt(i);
    if (c < 33 || c > 126) throw new KeyFormatError('bech32 prefix has an invalid character');
  }
  const values: number[] = [];
  for (const char of lower.slice(split + 1)) {
    const v = CHARSET.indexOf(char);
    if (v < 0) throw new KeyFormatError(`bech32 string has an invalid character '${char}'`);
    values.push(v);
  }
  if (polymod([...hrpExpand(hrp), ...values]) !== 1) throw new KeyFormatError('bech32 checksum does not match (a typo?)');
  const bytes = convertBits(values.slice(0, -6), 5, 8, false);
  if (bytes === null) throw new KeyFormatError('bech32 data has invalid padding');
  return { hrp, data: Uint8Array.from(bytes) };
}
