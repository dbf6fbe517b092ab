// How deep a parsed JSON value nests, found without recursion. JSON.parse takes 100,000 nested brackets
// in its stride, but anything that walks the value recursively afterwards (canonical JSON for a
// signature, JSON.stringify to send it, schema checks) overflows the stack; so a file or a value is
// refused past a bound first, naming the place where it went too deep.

import { formatJsonPath } from './json-path.js';

/** Far deeper than any policy document (about 7 levels), far shallower than any stack. */
export const POLICY_FILE_MAX_DEPTH = 32;

/** A value nested deeper than allowed; `path` is the JSON path of the first container past the bound. */
export class JsonTooDeepError extends Error {
  override readonly name = 'JsonTooDeepError';
  constructor(
    readonly maxDepth: number,
    readonly path: string,
  ) {
    super(`nested deeper than ${maxDepth} at ${path}`);
  }
}

interface Visit {
  readonly value: unknown;
  readonly depth: number;
  readonly parent: Visit | null;
  readonly key: PropertyKey | null;
}

/**
 * The JSON path of the first array or object (in document order) nested deeper than `maxDepth`, where the
 * top-level value is at depth 1; null when the value stays within it. Never walks past `maxDepth` + 1.
 */
export function tooDeepAt(value: unknown, maxDepth: number): string | null {
  const pending: Visit[] = [{ value, depth: 1, parent: null, key: null }];
  while (pending.length > 0) {
    const visit = pending.pop()!;
    if (visit.value === null || typeof visit.value !== 'object') continue;
    if (visit.depth > maxDepth) return formatJsonPath(pathOf(visit));
    const children: Array<[PropertyKey, unknown]> = Array.isArray(visit.value)
      ? visit.value.map((item, index) => [index, item])
      : Object.entries(visit.value);
    // Pushed last to first, so the first child is looked at first.
    for (let i = children.length - 1; i >= 0; i--) {
      const [key, child] = children[i]!;
      if (child !== null && typeof child === 'object') pending.push({ value: child, depth: visit.depth + 1, parent: visit, key });
    }
  }
  return null;
}

/** Throws JsonTooDeepError when `value` nests deeper than `maxDepth`. */
export function assertJsonDepth(value: unknown, maxDepth: number): void {
  const path = tooDeepAt(value, maxDepth);
  if (path !== null) throw new JsonTooDeepError(maxDepth, path);
}

function pathOf(visit: Visit): PropertyKey[] {
  const path: PropertyKey[] = [];
  for (let at: Visit | null = visit; at !== null && at.key !== null; at = at.parent) path.push(at.key);
  return path.reverse();
}
