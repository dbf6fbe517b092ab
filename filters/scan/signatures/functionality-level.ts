// ClamAV's functionality level (FLEVEL): signatures declare the engine levels they need. Strata answers
// as the ClamAV release whose formats it reads (1.4, FLEVEL 216), so it keeps and skips the same
// signatures clamscan does.

import { parseCount } from './database-lines.js';
import { SkipSignature } from './signature-error.js';

export const STRATA_FLEVEL = 216;

/** Skips (with a notice) a signature whose [min, max] level range excludes STRATA_FLEVEL. */
export function checkFunctionalityLevel(min: string | undefined, max: string | undefined): void {
  if (min !== undefined && min !== '') {
    const level = parseCount(min, 'the minimum functionality level');
    if (level > STRATA_FLEVEL) throw new SkipSignature(`needs functionality level ${level} (Strata reads level ${STRATA_FLEVEL})`);
  }
  if (max !== undefined && max !== '') {
    const level = parseCount(max, 'the maximum functionality level');
    if (level < STRATA_FLEVEL) throw new SkipSignature(`is for functionality levels up to ${level} only (Strata reads level ${STRATA_FLEVEL})`);
  }
}
