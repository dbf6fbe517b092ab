// What a policy import would change: items matched by key (folders by exact path, tiers and signature
// sets by name in any case), then field by field inside a changed item, each change with its JSON path.

import { formatJsonPath, type PolicyChange } from '../../api/index.js';

type What = PolicyChange['what'];

/** Keys match in any case (names) unless `caseless` is false (folder paths: /a and /A are two folders). */
export function diffItems<T>(what: What, before: readonly T[], after: readonly T[], keyOf: (item: T) => string, comparable: (item: T) => unknown = (item) => item, options: { caseless?: boolean } = {}): PolicyChange[] {
  const fold = options.caseless === false ? (key: string) => key : (key: string) => key.toLowerCase();
  const changes: PolicyChange[] = [];
  const old = new Map(before.map((item) => [fold(keyOf(item)), item]));
  const seen = new Set<string>();
  for (const item of after) {
    const key = keyOf(item);
    seen.add(fold(key));
    const previous = old.get(fold(key));
    if (previous === undefined) changes.push({ op: 'add', what, key, field: null, before: null, after: comparable(item) });
    else changes.push(...diffFields(what, key, comparable(previous), comparable(item)));
  }
  for (const item of before) {
    if (!seen.has(fold(keyOf(item)))) changes.push({ op: 'remove', what, key: keyOf(item), field: null, before: comparable(item), after: null });
  }
  return changes;
}

/** Field-level changes between two JSON values: objects are walked, anything else compared whole. */
export function diffFields(what: What, key: string, before: unknown, after: unknown, path: PropertyKey[] = []): PolicyChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffFields(what, key, before[k], after[k], [...path, k]));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ op: 'change', what, key, field: formatJsonPath(path), before: before ?? null, after: after ?? null }];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
