// Base64 fields of a fixed byte length (keys, signatures), checked without Node's Buffer so the same
// schema runs in the agent and in the browser.

import { z } from 'zod';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The number of bytes a well-formed base64 string encodes. */
function decodedLength(s: string): number {
  return (s.length / 4) * 3 - (s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0);
}

export function base64OfLength(bytes: number, what: string) {
  return z
    .string()
    .regex(BASE64, `${what} is not base64`)
    .refine((s) => s.length % 4 === 0 && decodedLength(s) === bytes, `${what} must encode ${bytes} bytes`);
}
