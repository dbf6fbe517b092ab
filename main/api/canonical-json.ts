// Canonical JSON (object keys sorted, no whitespace): the exact bytes a policy signature covers, so a
// file re-indented or with reordered keys still verifies, and any change of value does not. The walk is
// recursive, so a value nested deeper than CANONICAL_JSON_MAX_DEPTH is refused (JsonTooDeepError) before
// it starts, never a stack overflow.

import { assertJsonDepth } from './json-depth.js';

export { JsonTooDeepError } from './json-depth.js';

export const CANONICAL_JSON_MAX_DEPTH = 1000;

export function canonicalJson(value: unknown): string {
  assertJsonDepth(value, CANONICAL_JSON_MAX_DEPTH);
  return canonical(value);
}

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`canonicalJson: ${typeof value} has no JSON form`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonical(item === undefined ? null : item)).join(',')}]`;
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}
