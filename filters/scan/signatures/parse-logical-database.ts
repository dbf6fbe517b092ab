// .ldb lines: `name;TargetDescriptionBlock;LogicalExpression;subsig0;subsig1;...`. Strata uses the body
// subsignatures (optionally `offset:hexsig`) of target-0 signatures, and the Engine and FileSize
// conditions. PCRE, byte-compare and macro subsignatures, subsignature modifiers (::i, ::w, ::f),
// and conditions on executables or containers are valid ClamAV but skipped with a notice.

import { checkName, parseCount, parseDatabaseLines, type ParsedLines } from './database-lines.js';
import { checkFunctionalityLevel } from './functionality-level.js';
import { parseHexPattern } from './hex-pattern.js';
import { parseLogicalExpression } from './logical-expression.js';
import { parsePatternOffset } from './pattern-offset.js';
import { FieldError, SkipSignature } from './signature-error.js';
import type { BodySignature, LogicalSignature, SignatureOrigin } from './signature-types.js';
import { checkTarget } from './target-type.js';

/** A wildcard-free subsignature may be 2 bytes long (in an .ndb it needs 3), as in clamscan. */
const LDB_MIN_PLAIN_LENGTH = 2;
/** ClamAV's limit on subsignatures per logical signature. */
const MAX_SUBSIGNATURES = 64;
const UNSUPPORTED_CONDITIONS = new Set(['EntryPoint', 'NumberOfSections', 'Container', 'Intermediates', 'IconGroup1', 'IconGroup2', 'HandlerType']);

export function parseLogicalDatabase(text: string, file: string): ParsedLines<LogicalSignature> {
  return parseDatabaseLines(text, file, (line, lineNumber) => {
    const fields = line.split(';');
    if (fields.length < 4) throw new FieldError(`expected name;TargetDescriptionBlock;LogicalExpression;subsig0[;subsig1...], got ${fields.length} fields`);
    const [name, tdb, expressionText, ...subsigTexts] = fields as [string, string, string, ...string[]];
    checkName(name);
    if (subsigTexts.length > MAX_SUBSIGNATURES) throw new FieldError(`${subsigTexts.length} subsignatures; ClamAV allows ${MAX_SUBSIGNATURES}`);
    const origin = { file, line: lineNumber };
    const { fileSize, unsupported } = parseTargetDescription(tdb);
    const expression = parseLogicalExpression(expressionText, subsigTexts.length);
    const subsignatures = subsigTexts.map((subsig, index) => parseSubsignature(subsig, index, name, origin));
    if (unsupported !== null) throw new SkipSignature(unsupported);
    return { name, expression, subsignatures, fileSize, origin };
  });
}

interface TargetDescription {
  fileSize: { min: number; max: number } | null;
  /** Why the signature is skipped, when one of its conditions is beyond Strata. */
  unsupported: string | null;
}

/** ClamAV's rule: conditions beyond Target need `Engine:` with a minimum level of at least 51. */
const ENGINE_FOR_CONDITIONS = 51;

function parseTargetDescription(tdb: string): TargetDescription {
  let fileSize: TargetDescription['fileSize'] = null;
  let unsupported: string | null = null;
  let sawTarget = false;
  let engineMin = 0;
  let otherCondition: string | null = null;
  for (const item of tdb.split(',')) {
    const colon = item.indexOf(':');
    if (colon < 0) throw new FieldError(`target description item '${item}' is not Key:Value`);
    const key = item.slice(0, colon);
    const value = item.slice(colon + 1);
    if (key === 'Target') {
      sawTarget = true;
      try {
        checkTarget(value);
      } catch (error) {
        if (!(error instanceof SkipSignature)) throw error;
        unsupported ??= error.message;
      }
    } else if (key === 'Engine') {
      const [min, max] = range(value, 'Engine');
      engineMin = min;
      checkFunctionalityLevel(String(min), String(max));
    } else if (key === 'FileSize') {
      const [min, max] = range(value, 'FileSize');
      fileSize = { min, max };
      otherCondition ??= key;
    } else if (UNSUPPORTED_CONDITIONS.has(key)) {
      unsupported ??= `the ${key} condition is not supported`;
      otherCondition ??= key;
    } else {
      throw new FieldError(`unknown target description key '${key}'`);
    }
  }
  if (!sawTarget) throw new FieldError('the target description block has no Target');
  if (otherCondition !== null && engineMin < ENGINE_FOR_CONDITIONS) {
    throw new FieldError(`the ${otherCondition} condition needs Engine:${ENGINE_FOR_CONDITIONS}-255 or higher in the target description block (as in ClamAV)`);
  }
  return { fileSize, unsupported };
}

function range(value: string, key: string): [number, number] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(value);
  if (match === null) throw new FieldError(`${key} '${value}' is not n or n-m`);
  const min = parseCount(match[1]!, key);
  const max = match[2] === undefined ? min : parseCount(match[2], key);
  if (max < min) throw new FieldError(`${key} '${value}' has its upper bound below its lower bound`);
  return [min, max];
}

function parseSubsignature(text: string, index: number, name: string, origin: SignatureOrigin): BodySignature {
  if (text.startsWith('${')) throw new SkipSignature(`subsignature ${index} is a macro, which is not supported`);
  if (text.includes('/')) throw new SkipSignature(`subsignature ${index} is a PCRE, which is not supported`);
  if (/^\d+\([<>=]/.test(text) || text.includes('#')) throw new SkipSignature(`subsignature ${index} is a byte comparison, which is not supported`);
  const [body = '', modifiers, ...rest] = text.split('::');
  if (rest.length > 0) throw new FieldError(`subsignature ${index} has more than one '::'`);
  if (modifiers !== undefined && !/^[iwfa]*$/.test(modifiers)) throw new FieldError(`subsignature ${index} has unknown modifiers '${modifiers}'`);
  const parts = body.split(':');
  if (parts.length > 2) throw new FieldError(`subsignature ${index} is not [offset:]hexsig`);
  const [offsetText, hex] = parts.length === 2 ? [parts[0]!, parts[1]!] : ['*', parts[0]!];
  let pattern;
  try {
    pattern = parseHexPattern(hex, LDB_MIN_PLAIN_LENGTH);
  } catch (error) {
    if (error instanceof FieldError) throw new FieldError(`subsignature ${index}: ${error.message}`);
    throw error;
  }
  if (modifiers !== undefined && /[iwf]/.test(modifiers)) throw new SkipSignature(`subsignature ${index} uses the modifiers '::${modifiers}', which are not supported`);
  return { name, offset: parsePatternOffset(offsetText), pattern, origin };
}
