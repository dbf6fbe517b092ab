// Volume-relative NT paths as the HSM tables store them: '\dir\file', the root as '\'. Splitting into
// parent and name, and the canonical form of a name given at an open (no trailing backslash).

export function parentOf(path: string): string {
  const cut = path.lastIndexOf('\\');
  return cut <= 0 ? '\\' : path.slice(0, cut);
}

export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('\\') + 1);
}

export function childOf(directory: string, name: string): string {
  return directory === '\\' ? `\\${name}` : `${directory}\\${name}`;
}

/** '' and '\' are the root; a trailing backslash (directory syntax) is dropped. */
export function canonicalPath(name: string): string {
  if (name === '' || name === '\\') return '\\';
  return name.endsWith('\\') ? name.slice(0, -1) : name;
}

/** True when `path` is `ancestor` or lies below it. */
export function isWithin(path: string, ancestor: string): boolean {
  return ancestor === '\\' || path === ancestor || path.startsWith(`${ancestor}\\`);
}
