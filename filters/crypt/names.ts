// Name rules of a protected folder: the vault folder and the filter's temporary files are Strata's own,
// hidden from listings and closed to opens through the stack; temporary names sit beside their target so
// the final rename stays within one folder (atomic on every file system). A temporary name carries its
// writer's tag (main/store/temp-owner.ts), so a sweep can tell a crashed save's leftover from a live save.

import { randomBytes } from 'node:crypto';
import { isLeftoverTemp, tempOwnerTag } from '../../main/store/temp-owner.js';
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

/**
 * The target's name as far as it goes into its temporary name: 48 code points (at most 192 bytes of UTF-8)
 * keep the temporary name within the 255 bytes file systems allow, whatever the target's length.
 */
const TEMP_BASE_CODE_POINTS = 48;

/** A fresh temporary name beside `target` ("\dir\.file.strata-tmp-<host>-<pid>-<run>-1a2b3c4d5e6f"). */
export function tempNameFor(target: string): string {
  const parts = componentsOf(target);
  const base = Array.from(parts.pop() ?? 'file').slice(0, TEMP_BASE_CODE_POINTS).join('');
  return joinName([...parts, `.${base}${TEMP_MARK}${tempOwnerTag()}-${randomBytes(6).toString('hex')}`]);
}

/** A temporary file (name component) no live save can be writing: its writer is gone (temp-owner.ts). */
export function isLeftoverTempName(component: string, lastWriteMs: number): boolean {
  const at = component.lastIndexOf(TEMP_MARK);
  return at >= 0 && isLeftoverTemp(component.slice(at + TEMP_MARK.length), lastWriteMs);
}

export function parentOf(name: string): string {
  return joinName(componentsOf(name).slice(0, -1));
}
