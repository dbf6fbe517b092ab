// .ndb lines: `name:target:offset:hexpattern[:minFlevel[:maxFlevel]]`. Target 0 is scanned; other
// targets and executable-relative offsets are valid but skipped with a notice.

import { checkName, parseDatabaseLines, type ParsedLines } from './database-lines.js';
import { checkFunctionalityLevel } from './functionality-level.js';
import { parseHexPattern } from './hex-pattern.js';
import { parsePatternOffset } from './pattern-offset.js';
import { FieldError } from './signature-error.js';
import type { BodySignature } from './signature-types.js';
import { checkTarget } from './target-type.js';

export function parseBodyDatabase(text: string, file: string): ParsedLines<BodySignature> {
  return parseDatabaseLines(text, file, (line, lineNumber) => {
    const fields = line.split(':');
    if (fields.length < 4 || fields.length > 6) throw new FieldError(`expected name:target:offset:hexsig[:minFlevel[:maxFlevel]], got ${fields.length} fields`);
    const [name, target, offset, hex, minLevel, maxLevel] = fields as [string, string, string, string, string?, string?];
    checkName(name);
    // Level first: a signature for another engine level may use syntax this one does not know.
    checkFunctionalityLevel(minLevel, maxLevel);
    // The pattern before the target: a malformed line is an error whatever its target, as in clamscan.
    const pattern = parseHexPattern(hex);
    checkTarget(target);
    return { name, offset: parsePatternOffset(offset), pattern, origin: { file, line: lineNumber } };
  });
}
