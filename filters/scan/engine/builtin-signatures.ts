// Signatures Strata always has, whatever databases are loaded: the EICAR test file, so that protection
// can be tried out (and tested) without a real signature set.

import { parseHexPattern } from '../signatures/hex-pattern.js';
import type { BodySignature } from '../signatures/signature-types.js';

export const EICAR_SIGNATURE_NAME = 'Eicar-Test-Signature';
/** The 68-byte EICAR anti-virus test string. */
export const EICAR_TEST_STRING = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

export const BUILTIN_SIGNATURES: readonly BodySignature[] = [
  {
    name: EICAR_SIGNATURE_NAME,
    // Anywhere in the data, so EICAR inside a larger stream or an archive member is found too.
    offset: { kind: 'any' },
    pattern: parseHexPattern(Buffer.from(EICAR_TEST_STRING, 'latin1').toString('hex')),
    origin: { file: '(built-in)', line: 0 },
  },
];
