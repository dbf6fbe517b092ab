// The age v1 header: the version line, recipient stanzas ("-> type args…" plus a base64 body wrapped at
// 64 columns) and the MAC line ("--- " + base64 HMAC). Parsing is strict (canonical base64, exact line
// shapes), so the bytes the MAC covers are exactly the bytes read: no re-encoding is needed to check it.

import { decodeBase64, encodeBase64 } from './base64.js';
import { MalformedHeaderError, TruncatedError } from './errors.js';

export const VERSION_LINE = 'age-encryption.org/v1';
const COLUMNS = 64;
const MAC_LENGTH = 32;

export interface Stanza {
  readonly type: string;
  readonly args: readonly string[];
  readonly body: Uint8Array;
}

export interface ParsedHeader {
  readonly stanzas: readonly Stanza[];
  readonly mac: Uint8Array;
  /** The header bytes the MAC covers: from the version line up to and including "---". */
  readonly macInput: Uint8Array;
  /** Bytes from the start of the file to the end of the MAC line (the payload nonce follows). */
  readonly length: number;
}

class LineReader {
  offset = 0;
  lineNumber = 0;
  constructor(private readonly bytes: Uint8Array) {}

  /** The next line without its "\n"; TruncatedError when the buffer ends before one. */
  next(): string {
    const end = this.bytes.indexOf(0x0a, this.offset);
    if (end < 0) throw new TruncatedError(`the header ends inside line ${this.lineNumber + 1}`);
    let line = '';
    for (let i = this.offset; i < end; i++) line += String.fromCharCode(this.bytes[i]!);
    this.lineNumber++;
    this.lineStart = this.offset;
    this.offset = end + 1;
    return line;
  }
  lineStart = 0;
}

/** Parses the header at the start of `bytes` (which may hold more: the payload follows). */
export function parseHeader(bytes: Uint8Array): ParsedHeader {
  const reader = new LineReader(bytes);
  const version = reader.next();
  if (version !== VERSION_LINE) {
    const what = version.startsWith('age-encryption.org/') ? `unsupported version '${printable(version)}'` : 'not an age file (no version line)';
    throw new MalformedHeaderError(what, 1);
  }
  const stanzas: Stanza[] = [];
  for (;;) {
    const line = reader.next();
    const number = reader.lineNumber;
    if (line.startsWith('---')) {
      if (!line.startsWith('--- ')) throw new MalformedHeaderError("the MAC line must be '--- ' followed by the MAC", number);
      const mac = decodeBase64(line.slice(4));
      if (mac === null || mac.length !== MAC_LENGTH) throw new MalformedHeaderError('the header MAC is not 32 bytes of canonical base64', number);
      return { stanzas, mac, macInput: copyBytes(bytes, 0, reader.lineStart + 3), length: reader.offset };
    }
    if (!line.startsWith('-> ')) throw new MalformedHeaderError("expected a stanza ('-> …') or the MAC line ('--- …')", number);
    const args = line.slice(3).split(' ');
    for (const arg of args) {
      if (arg === '') throw new MalformedHeaderError('a stanza argument is empty', number);
      if (!isVisibleAscii(arg)) throw new MalformedHeaderError('a stanza argument has a character outside visible ASCII', number);
    }
    stanzas.push({ type: args[0]!, args: args.slice(1), body: readBody(reader) });
  }
}

function readBody(reader: LineReader): Uint8Array {
  const parts: Uint8Array[] = [];
  for (;;) {
    const line = reader.next();
    if (line.length > COLUMNS) throw new MalformedHeaderError(`a stanza body line is longer than ${COLUMNS} columns`, reader.lineNumber);
    const decoded = decodeBase64(line);
    if (decoded === null) throw new MalformedHeaderError('a stanza body line is not canonical unpadded base64', reader.lineNumber);
    parts.push(decoded);
    // A line shorter than 64 columns (possibly empty) ends the body.
    if (line.length < COLUMNS) return concat(parts);
  }
}

/** The header text without the MAC ("…\n---"), for computing the MAC. */
export function encodeHeaderWithoutMac(stanzas: readonly Stanza[]): Uint8Array {
  let text = `${VERSION_LINE}\n`;
  for (const stanza of stanzas) {
    text += `-> ${[stanza.type, ...stanza.args].join(' ')}\n`;
    const body = encodeBase64(stanza.body);
    for (let i = 0; i < body.length; i += COLUMNS) text += `${body.slice(i, i + COLUMNS)}\n`;
    if (body.length % COLUMNS === 0) text += '\n';
  }
  return new TextEncoder().encode(`${text}---`);
}

/** The complete header: the text above plus " <mac>\n". */
export function encodeHeader(withoutMac: Uint8Array, mac: Uint8Array): Uint8Array {
  const tail = new TextEncoder().encode(` ${encodeBase64(mac)}\n`);
  return concat([withoutMac, tail]);
}

function isVisibleAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  return true;
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 60);
}

/** A copy of bytes [start, end): never a view, even when `bytes` is a Node Buffer (whose slice() is one). */
export function copyBytes(bytes: Uint8Array, start = 0, end = bytes.length): Uint8Array {
  return Uint8Array.prototype.slice.call(bytes, start, end);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
