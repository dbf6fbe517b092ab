// Parses a body signature's offset field: `*`, `n`, `n,maxshift`, `EOF-n`, `EOF-n,maxshift`. The
// executable-relative offsets (EP, Sx, SL, SE, VI) only make sense for PE/ELF targets: skipped.

import { parseCount } from './database-lines.js';
import { FieldError, SkipSignature } from './signature-error.js';
import type { PatternOffset } from './signature-types.js';

export function parsePatternOffset(text: string): PatternOffset {
  if (text === '*') return { kind: 'any' };
  const [base = '', shiftText, extra] = text.split(',');
  if (extra !== undefined) throw new FieldError(`offset '${text}' has more than one ','`);
  const shift = shiftText === undefined ? 0 : parseCount(shiftText, 'the offset maxshift');
  if (/^\d+$/.test(base)) return { kind: 'absolute', start: parseCount(base, 'the offset'), shift };
  const eof = /^EOF-(\d+)$/.exec(base);
  if (eof !== null) return { kind: 'eof', back: parseCount(eof[1]!, 'the EOF offset'), shift };
  if (/^(EP[+-]\d+|S\d+[+-]\d+|SL[+-]\d+|SE\d+|VI)$/.test(base)) {
    throw new SkipSignature(`offset '${text}' is relative to an executable's layout, which Strata does not parse`);
  }
  throw new FieldError(`offset '${text}' is not *, n, n,maxshift, EOF-n or EOF-n,maxshift`);
}
