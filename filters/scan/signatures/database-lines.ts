// The line loop every text database format shares: skips comments and blank lines, turns a field error
// into a SignatureError naming the file and line, and collects skipped signatures as notices.

import { FieldError, SignatureError, SkipSignature } from './signature-error.js';
import type { SignatureNotice } from './signature-types.js';

export interface ParsedLines<T> {
  readonly signatures: T[];
  readonly notices: SignatureNotice[];
}

export function parseDatabaseLines<T>(text: string, file: string, parseLine: (line: string, lineNumber: number) => T): ParsedLines<T> {
  const signatures: T[] = [];
  const notices: SignatureNotice[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.replace(/\r$/, '');
    // clamscan ignores '#' comments; blank lines carry nothing (clamscan refuses them, which helps nobody).
    if (line.trim() === '' || line.startsWith('#')) continue;
    try {
      signatures.push(parseLine(line, index + 1));
    } catch (error) {
      if (error instanceof SkipSignature) notices.push({ file, line: index + 1, message: error.message });
      else if (error instanceof FieldError) throw new SignatureError(file, index + 1, error.message);
      else throw error;
    }
  }
  return { signatures, notices };
}

/** A non-negative decimal integer field, or a FieldError naming the field. */
export function parseCount(text: string, field: string): number {
  if (!/^\d+$/.test(text)) throw new FieldError(`${field} '${text}' is not a non-negative integer`);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new FieldError(`${field} '${text}' is too large`);
  return value;
}

/** A signature name as ClamAV allows it: non-empty, printable, no separators of its formats. */
export function checkName(name: string): string {
  if (name.length === 0) throw new FieldError('the signature name is empty');
  if (/[\s:;\x00-\x1f]/.test(name)) throw new FieldError(`the signature name '${name}' contains white space or a separator`);
  return name;
}
