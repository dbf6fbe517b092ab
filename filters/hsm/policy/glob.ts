// Include/exclude globs of a folder policy, matched against folder-relative paths written with '/', each
// name as the host spells it (host-spelling.ts).
// '**' spans directories, '*' and '?' stay within one name, [abc] is a character class. A pattern
// without '/' matches a file's name at any depth ("*.iso"), as in .gitignore.

export type GlobMatcher = (relativePath: string) => boolean;

export function compileGlob(pattern: string): GlobMatcher {
  if (pattern.length === 0) throw new Error('an empty glob matches nothing; leave it out instead');
  const anchored = pattern.includes('/');
  const source = translate(pattern.replace(/^\/+/, ''));
  const regex = new RegExp(`^${source}$`);
  return anchored ? (path) => regex.test(path) : (path) => regex.test(path.slice(path.lastIndexOf('/') + 1));
}

function translate(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') {
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) throw new Error(`glob '${pattern}': '[' at position ${i + 1} is never closed`);
      const body = pattern.slice(i + 1, close).replace(/\\/g, '\\\\');
      out += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = close;
    } else {
      out += c.replace(/[.+^${}()|\\]/g, '\\$&');
    }
  }
  return out;
}

/** True when any of the patterns matches. */
export function matchesAny(matchers: readonly GlobMatcher[], relativePath: string): boolean {
  return matchers.some((match) => match(relativePath));
}
