// .hdb / .hsb lines: `hash:size:name[:minFlevel[:maxFlevel]]`. The algorithm follows the hash length
// (32 MD5, 40 SHA-1, 64 SHA-256) in both files, as clamscan does; size `*` needs minFlevel >= 73.

import { checkName, parseCount, parseDatabaseLines, type ParsedLines } from './database-lines.js';
import { checkFunctionalityLevel } from './functionality-level.js';
import { FieldError } from './signature-error.js';
import type { HashAlgorithm, HashSignature } from './signature-types.js';

const ALGORITHM_BY_LENGTH: Record<number, HashAlgorithm> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };
/** ClamAV introduced wildcard sizes at level 73 and refuses them in signatures claiming less. */
const WILDCARD_SIZE_FLEVEL = 73;

export function parseHashDatabase(text: string, file: string): ParsedLines<HashSignature> {
  return parseDatabaseLines(text, file, (line, lineNumber) => {
    const fields = line.split(':');
    if (fields.length < 3 || fields.length > 5) throw new FieldError(`expected hash:size:name[:minFlevel[:maxFlevel]], got ${fields.length} fields`);
    const [hashText, sizeText, name, minLevel, maxLevel] = fields as [string, string, string, string?, string?];
    const hash = hashText.toLowerCase();
    const algorithm = ALGORITHM_BY_LENGTH[hash.length];
    if (algorithm === undefined || !/^[0-9a-f]+$/.test(hash)) {
      throw new FieldError(`hash '${hashText}' is not an MD5 (32), SHA-1 (40) or SHA-256 (64) hex digest`);
    }
    let size: number | null;
    if (sizeText === '*') {
      const level = minLevel === undefined || minLevel === '' ? 0 : parseCount(minLevel, 'the minimum functionality level');
      if (level < WILDCARD_SIZE_FLEVEL) throw new FieldError(`size '*' needs a minimum functionality level field of at least ${WILDCARD_SIZE_FLEVEL} (as in ClamAV)`);
      size = null;
    } else {
      size = parseCount(sizeText, 'the size');
      if (size === 0) throw new FieldError('the size must be greater than 0');
    }
    checkFunctionalityLevel(minLevel, maxLevel);
    return { name: checkName(name), algorithm, hash, size, origin: { file, line: lineNumber } };
  });
}
