// Name rules of a protected folder: the vault folder and the filter's temporary files are Strata's own,
// hidden from listings and closed to opens through the stack; temporary names sit beside their target so
// the final rename stays within one folder (atomic on every file system).

import { randomBytes } from 'node:crypto';
import { VAULT_DIR } from './vault/vault-layout.js';

export const TEMP_MARK = '.strata-tmp-';

/** "\a\b.txt" (or "a\b.txt", "") → ["a", "b.txt"]. */
export function componentsOf(name: string): string[] {
  return name.split('\\').filter((part) => part !== '');
}

export function joinName(components: readonly string[]): string {
  return components.length === 0 ? '' : `\\${components.join('\\')}`;
}

export function isTempName(component: string): boolean {
  return component.includes(TEMP_MARK);
}

/** True for names inside the vault folder or of a temporary file: Strata's own, not the user's. */
export function isReservedName(name: string): boolean {
  const parts = componentsOf(name);
  if (parts.length > 0 && parts[0]!.toLowerCase() === VAULT_DIR) return true;
  return parts.some(isTempName);
}

/** Hidden from a listing of the directory `directoryName`. */
export function isHiddenEntry(directoryName: string, entry: string): boolean {
  if (isTempName(entry)) return true;
  return componentsOf(directoryName).length === 0 && entry.toLowerCase() === VAULT_DIR;
}

/** A fresh temporary name beside `target` ("\dir\.file.strata-tmp-1a2b3c"). */
export function tempNameFor(target: string): string {
  const parts = componentsOf(target);
  const base = parts.pop() ?? 'file';
  return joinName([...parts, `.${base}${TEMP_MARK}${randomBytes(6).toString('hex')}`]);
}

export function parentOf(name: string): string {
  return joinName(componentsOf(name).slice(0, -1));
}
