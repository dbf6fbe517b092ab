// NT wildcard matching for directory queries (FsRtlIsNameInExpression with IgnoreCase): '*' matches any
// run of characters, '?' exactly one. The pattern is compiled once per directory enumeration.

export type NameMatcher = (name: string) => boolean;

const matchAll: NameMatcher = () => true;

/** A case-insensitive matcher for `pattern`; null, '' and '*' match every name. */
export function compileWildcard(pattern: string | null): NameMatcher {
  if (pattern === null || pattern === '' || pattern === '*') return matchAll;
  if (!/[*?]/.test(pattern)) {
    const wanted = pattern.toUpperCase();
    return (name) => name.toUpperCase() === wanted;
  }
  const upper = pattern.toUpperCase();
  return (name) => wildcardMatch(upper, name.toUpperCase());
}

/** Iterative glob match with single-star backtracking: linear in practice, no regular expressions. */
function wildcardMatch(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let starP = -1;
  let starN = 0;
  while (n < name.length) {
    const c = pattern[p];
    if (c === '*') {
      starP = p++;
      starN = n;
    } else if (p < pattern.length && (c === '?' || c === name[n])) {
      p++;
      n++;
    } else if (starP >= 0) {
      p = starP + 1;
      n = ++starN;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
