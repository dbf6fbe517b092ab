// Parses a ClamAV body pattern ("6865??6c{2-4}(6f|4f)*7a") into chunks of elements, and applies the
// length rules clamscan applies, so that a database Strata loads is one clamscan loads too:
// every part between range gaps needs a run of 2 static bytes; a wildcard-free pattern needs 3.

import { FieldError, SkipSignature } from './signature-error.js';
import type { BodyPattern, GapElement, PatternChunk, PatternElement } from './signature-types.js';

/** ClamAV limits `[n-m]` to small ranges. */
const MAX_BRACKET_RANGE = 32;

type Token =
  /** A run of hex pairs ("68??6c", "a?"): one matcher per byte. */
  | { kind: 'bytes'; value: Uint8Array; mask: Uint8Array }
  | { kind: 'alt'; options: Uint8Array[]; negated: boolean }
  /** `{...}` and `*`: split parts for the static-length rule; max Infinity when unbounded. */
  | { kind: 'range'; min: number; max: number; exact: boolean }
  /** `[n-m]`: a bounded gap that does not split parts. */
  | { kind: 'bracket'; min: number; max: number };

/** A wildcard-free .ndb pattern needs 3 bytes in clamscan. */
const MIN_PLAIN_LENGTH = 3;

export function parseHexPattern(text: string, minPlainLength = MIN_PLAIN_LENGTH): BodyPattern {
  if (text.length === 0) throw new FieldError('the hex pattern is empty');
  const tokens = tokenize(text);
  checkEnds(tokens);
  checkStaticLengths(tokens, minPlainLength);
  checkBrackets(tokens);
  return { chunks: toChunks(tokens), text };
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '*') {
      tokens.push({ kind: 'range', min: 0, max: Infinity, exact: false });
      i++;
    } else if (c === '{') {
      const end = closing(text, i, '}');
      tokens.push(parseBraces(text.slice(i + 1, end), i));
      i = end + 1;
    } else if (c === '[') {
      const end = closing(text, i, ']');
      tokens.push(parseBracket(text.slice(i + 1, end), i));
      i = end + 1;
    } else if (c === '(' || (c === '!' && text[i + 1] === '(')) {
      const negated = c === '!';
      const open = negated ? i + 1 : i;
      const end = closing(text, open, ')');
      tokens.push(parseAlternatives(text.slice(open + 1, end), negated, i));
      i = end + 1;
    } else {
      const run = parseByteRun(text, i);
      tokens.push(run);
      i += run.value.length * 2;
    }
  }
  return tokens;
}

function closing(text: string, from: number, close: string): number {
  const end = text.indexOf(close, from + 1);
  if (end < 0) throw new FieldError(`'${text[from]}' at position ${from} of the hex pattern is never closed`);
  return end;
}

function parseBraces(body: string, at: number): Token {
  let m: RegExpExecArray | null;
  if ((m = /^(\d+)$/.exec(body))) return { kind: 'range', min: Number(m[1]), max: Number(m[1]), exact: true };
  if ((m = /^-(\d+)$/.exec(body))) return { kind: 'range', min: 0, max: Number(m[1]), exact: false };
  if ((m = /^(\d+)-$/.exec(body))) return { kind: 'range', min: Number(m[1]), max: Infinity, exact: false };
  if ((m = /^(\d+)-(\d+)$/.exec(body))) {
    const min = Number(m[1]);
    const max = Number(m[2]);
    if (max < min) throw new FieldError(`gap {${body}} at position ${at} has its upper bound below its lower bound`);
    return { kind: 'range', min, max, exact: min === max };
  }
  throw new FieldError(`gap {${body}} at position ${at} is not {n}, {-n}, {n-} or {n-m}`);
}

function parseBracket(body: string, at: number): Token {
  const m = /^(\d+)-(\d+)$/.exec(body);
  if (m === null) throw new FieldError(`range [${body}] at position ${at} is not [n-m]`);
  const min = Number(m[1]);
  const max = Number(m[2]);
  if (max < min || max > MAX_BRACKET_RANGE) throw new FieldError(`range [${body}] at position ${at} must have n <= m <= ${MAX_BRACKET_RANGE}`);
  return { kind: 'bracket', min, max };
}

function parseAlternatives(body: string, negated: boolean, at: number): Token {
  if (body === 'B' || body === 'L' || body === 'W') throw new SkipSignature(`the boundary marker (${body}) is not supported`);
  const options = body.split('|').map((option) => {
    if (option.length === 0 || option.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(option)) {
      if (/^[0-9a-fA-F?]+$/.test(option) && option.length % 2 === 0) throw new SkipSignature('wildcards inside (..|..) alternatives are not supported');
      throw new FieldError(`alternative '${option}' at position ${at} is not an even number of hex digits`);
    }
    return Uint8Array.from(Buffer.from(option, 'hex'));
  });
  if (negated && options.some((option) => option.length !== 1)) throw new SkipSignature('negated alternatives of more than one byte are not supported');
  return { kind: 'alt', options, negated };
}

/** The value of a hex digit's character code, 16 for '?', -1 for anything else. */
function nibbleOf(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return code === 63 ? 16 : -1;
}

/** The hex pairs from `at` up to the next special character (the common case, parsed without regexes). */
function parseByteRun(text: string, at: number): Extract<Token, { kind: 'bytes' }> {
  let end = at;
  while (end < text.length && nibbleOf(text.charCodeAt(end)) >= 0) end++;
  const count = (end - at) >> 1;
  if (count === 0 || (end - at) % 2 !== 0) {
    const bad = count === 0 ? at : end;
    throw new FieldError(`invalid character '${text[bad] ?? '(end)'}' at position ${bad} of the hex pattern`);
  }
  const value = new Uint8Array(count);
  const mask = new Uint8Array(count);
  for (let k = 0; k < count; k++) {
    const hi = nibbleOf(text.charCodeAt(at + 2 * k));
    const lo = nibbleOf(text.charCodeAt(at + 2 * k + 1));
    const m = (hi === 16 ? 0 : 0xf0) | (lo === 16 ? 0 : 0x0f);
    mask[k] = m;
    value[k] = (((hi & 15) << 4) | (lo & 15)) & m;
  }
  return { kind: 'bytes', value, mask };
}

function checkEnds(tokens: Token[]): void {
  const first = tokens[0]!;
  const last = tokens[tokens.length - 1]!;
  const splits = (token: Token): boolean => (token.kind === 'range' && !token.exact) || token.kind === 'bracket';
  if (splits(first)) throw new FieldError('the hex pattern starts with a gap');
  if (splits(last)) throw new FieldError('the hex pattern ends with a gap');
}

/** clamscan's rule: each part between range gaps holds a run of 2 static bytes; a plain pattern needs more. */
function checkStaticLengths(tokens: Token[], minPlainLength: number): void {
  const only = tokens[0]!;
  if (tokens.length === 1 && only.kind === 'bytes' && only.mask.every((m) => m === 0xff) && only.value.length < minPlainLength) {
    throw new FieldError(`the pattern is too short: ClamAV needs at least ${minPlainLength} bytes, got ${only.value.length}`);
  }
  let longest = 0;
  let run = 0;
  let part = 1;
  for (let index = 0; index <= tokens.length; index++) {
    const token = tokens[index] ?? null;
    if (token === null || (token.kind === 'range' && !token.exact)) {
      if (longest < 2) throw new FieldError(`part ${part} of the pattern is too short: ClamAV needs a run of 2 static bytes between gaps`);
      longest = 0;
      run = 0;
      part++;
      continue;
    }
    if (token.kind !== 'bytes') {
      run = 0;
      continue;
    }
    for (const mask of token.mask) {
      run = mask === 0xff ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
  }
}

/** clamscan accepts one `[n-m]` per pattern, next to a single static byte. */
function checkBrackets(tokens: Token[]): void {
  const at = tokens.flatMap((token, index) => (token.kind === 'bracket' ? [index] : []));
  if (at.length === 0) return;
  if (at.length > 1) throw new FieldError('ClamAV allows only one [n-m] range per pattern');
  const index = at[0]!;
  const single = (token: Token | undefined): boolean => token?.kind === 'bytes' && token.value.length === 1;
  const singleLeft = single(tokens[index - 1]);
  const singleRight = single(tokens[index + 1]);
  if (!singleLeft && !singleRight) throw new FieldError('a [n-m] range needs a single byte on one side (as in ClamAV)');
}

/** Groups tokens into elements, and elements into chunks at unbounded gaps. */
function toChunks(tokens: Token[]): PatternChunk[] {
  const chunks: PatternChunk[] = [];
  let elements: PatternElement[] = [];
  let minGapBefore = 0;
  for (const token of tokens) {
    if (token.kind === 'bytes') {
      // Byte runs are maximal, so each one is a fixed element of its own.
      elements.push({ kind: 'fixed', value: token.value, mask: token.mask });
    } else if (token.kind === 'alt') {
      elements.push({ kind: 'alt', options: token.options, negated: token.negated });
    } else if (token.max === Infinity) {
      chunks.push({ elements, minGapBefore });
      elements = [];
      minGapBefore = token.min;
    } else {
      const gap: GapElement = { kind: 'gap', min: token.min, max: token.max };
      const previous = elements[elements.length - 1];
      if (previous?.kind === 'gap') elements[elements.length - 1] = { kind: 'gap', min: previous.min + gap.min, max: previous.max + gap.max };
      else elements.push(gap);
    }
  }
  chunks.push({ elements, minGapBefore });
  return chunks;
}
