// Host file names that NT forbids, made reachable: a POSIX host allows in a name characters Windows refuses
// (control characters, < > : " \ | ? *) and a name ending in a space or a dot. Hidden, such a file would be
// out of every protection's reach (left plaintext by encryption, never scanned), so the local volume maps
// each such character to the Private Use Area at U+F000 + its code, as WSL and Cygwin do: 'a:b' is listed
// and opened as 'a\uF03Ab'; a final space or dot is mapped the same way. Mapping leaves a mapped-range
// character as it is, so mapping a name twice does nothing more. A host name that already holds a
// character of the mapped range cannot be told apart from a mapped one: the local volume does not list it
// (unreachableHostName), and a path that spells one out is taken as mapped.

import { STATUS_OBJECT_NAME_INVALID } from '../io/index.js';
import { VolumeError } from './volume-error.js';

/** Where the mapped characters go: U+F000 + the character's code. */
const MAPPED_BASE = 0xf000;
/** Characters NT forbids anywhere in a name (NUL and '/' cannot occur in a host name). */
const FORBIDDEN_CHAR = /[\u0001-\u001f<>:"\\|?*]/;
const FORBIDDEN_ANYWHERE = new RegExp(FORBIDDEN_CHAR.source, 'g');
/** The mapped range a volume name may hold: the images of the characters above, and of ' ' and '.'. */
const MAPPED_RANGE = /[\uf000-\uf07f]/;

function mapped(char: string): string {
  return String.fromCharCode(MAPPED_BASE + char.charCodeAt(0));
}

/** Whether the host name `name` has no volume name: it holds a character of the mapped range already. */
export function unreachableHostName(name: string): boolean {
  return MAPPED_RANGE.test(name);
}

/** The volume's name for the host name `name`; a name already mapped comes back as it is. */
export function volumeComponentOf(name: string): string {
  // '.' and '..' are no names: left as they are, so that a path check refuses them (mapped, '..' would
  // become a valid name that leads to the parent directory on the host).
  if (name === '.' || name === '..') return name;
  let component = name.replace(FORBIDDEN_ANYWHERE, mapped);
  const last = component[component.length - 1];
  if (last === ' ' || last === '.') component = component.slice(0, -1) + mapped(last);
  return component;
}

/**
 * The host name of the volume name `component` (already checked as an NT name). Throws
 * STATUS_OBJECT_NAME_INVALID naming the character when the name holds a mapped-range character that no
 * host name maps to.
 */
export function hostNameOf(component: string): string {
  if (!MAPPED_RANGE.test(component)) return component;
  let name = '';
  for (let i = 0; i < component.length; i++) {
    const code = component.charCodeAt(i);
    if (code < MAPPED_BASE || code > MAPPED_BASE + 0x7f) {
      name += component[i];
      continue;
    }
    const char = String.fromCharCode(code - MAPPED_BASE);
    // A mapped space or dot stands for itself anywhere, not only at the end: a name built from a mapped one
    // ('.' + name + a suffix, as a save's temporary file is) keeps it inside.
    const mapsBack = FORBIDDEN_CHAR.test(char) || char === ' ' || char === '.';
    if (!mapsBack) {
      throw new VolumeError(STATUS_OBJECT_NAME_INVALID, `file name '${component}': U+${code.toString(16).toUpperCase()} stands for no host character there`);
    }
    name += char;
  }
  if (name === '.' || name === '..') throw new VolumeError(STATUS_OBJECT_NAME_INVALID, `file name '${component}' stands for '${name}' on the host`);
  return name;
}

/** A volume-relative name ('\\docs\\a' U+F03A 'b') as the host spells it inside the folder ('docs/a:b'), parts joined by `separator`. */
export function hostRelativeOf(volumeRelative: string, separator = '/'): string {
  return volumeRelative.split('\\').filter((part) => part !== '').map(hostNameOf).join(separator);
}
