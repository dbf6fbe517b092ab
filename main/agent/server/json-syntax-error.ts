// Where a text stops being JSON, told by position only. V8's JSON.parse messages quote the text around
// the fault ("Unexpected token 'h', ..."phrase": hunter2sec"... is not valid JSON"), and a request body
// may hold a passphrase, so the agent never passes them on; this scanner finds the first offending
// character itself (without recursion: a body may nest a million brackets) and says where it is.

type Container = 'array' | 'object';

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const SIMPLE_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const LITERALS = ['true', 'false', 'null'];

/**
 * The offset (in UTF-16 units) of the first character that cannot continue a JSON text, `text.length`
 * when the text ends too early, or null when the whole text is JSON.
 */
export function jsonSyntaxErrorOffset(text: string): number | null {
  const stack: Container[] = [];
  let i = 0;
  let expect: 'value' | 'key' | 'after-value' = 'value';
  const skipWhitespace = () => {
    while (i < text.length && WHITESPACE.has(text[i]!)) i++;
  };
  for (;;) {
    skipWhitespace();
    if (expect === 'after-value') {
      const container = stack[stack.length - 1];
      if (container === undefined) return i === text.length ? null : i;
      const close = container === 'array' ? ']' : '}';
      if (text[i] === ',') {
        i++;
        expect = container === 'array' ? 'value' : 'key';
      } else if (text[i] === close) {
        i++;
        stack.pop();
      } else {
        return i;
      }
      continue;
    }
    if (expect === 'key') {
      if (text[i] !== '"') return i;
      const end = stringEnd(text, i);
      if (end < 0) return -end - 1;
      i = end;
      skipWhitespace();
      if (text[i] !== ':') return i;
      i++;
      expect = 'value';
      continue;
    }
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      stack.push(c === '{' ? 'object' : 'array');
      skipWhitespace();
      if (text[i] === (c === '{' ? '}' : ']')) {
        i++;
        stack.pop();
        expect = 'after-value';
      } else {
        expect = c === '{' ? 'key' : 'value';
      }
      continue;
    }
    const end = c === '"' ? stringEnd(text, i) : c === '-' || isDigit(c) ? numberEnd(text, i) : literalEnd(text, i);
    if (end < 0) return -end - 1;
    i = end;
    expect = 'after-value';
  }
}

/** "the text ends too early" or "a character that does not belong at line L, column C". */
export function describeJsonSyntaxError(text: string): string {
  const offset = jsonSyntaxErrorOffset(text);
  if (offset === null) return 'a syntax error';
  const { line, column } = lineAndColumn(text, offset);
  return offset >= text.length
    ? `it ends too early (line ${line}, column ${column})`
    : `a character that does not belong at line ${line}, column ${column}`;
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

// Each scanner below starts at its value's first character and returns the offset just past the value,
// or -(offset of the fault) - 1.

function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') return i + 1;
    if (c < ' ') return -i - 1;
    if (c !== '\\') {
      i++;
      continue;
    }
    const escape = text[i + 1];
    if (escape === undefined) return -(i + 1) - 1;
    if (SIMPLE_ESCAPES.has(escape)) {
      i += 2;
      continue;
    }
    if (escape !== 'u') return -(i + 1) - 1;
    for (let k = i + 2; k < i + 6; k++) {
      if (k >= text.length || !/[0-9a-fA-F]/.test(text[k]!)) return -k - 1;
    }
    i += 6;
  }
  return -text.length - 1;
}

function numberEnd(text: string, start: number): number {
  let i = start;
  if (text[i] === '-') i++;
  if (text[i] === '0') i++;
  else if (!isDigit(text[i])) return -i - 1;
  else while (isDigit(text[i])) i++;
  if (text[i] === '.') {
    i++;
    if (!isDigit(text[i])) return -i - 1;
    while (isDigit(text[i])) i++;
  }
  if (text[i] === 'e' || text[i] === 'E') {
    i++;
    if (text[i] === '+' || text[i] === '-') i++;
    if (!isDigit(text[i])) return -i - 1;
    while (isDigit(text[i])) i++;
  }
  return i;
}

function literalEnd(text: string, start: number): number {
  const literal = LITERALS.find((word) => word[0] === text[start]);
  if (literal === undefined) return -start - 1;
  for (let k = 0; k < literal.length; k++) {
    if (text[start + k] !== literal[k]) return -(start + k) - 1;
  }
  return start + literal.length;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}
