// The line editing of the passphrase prompt, apart from the terminal: the bytes a terminal in raw mode
// sends go in, one answer comes out with the key that ended it and the bytes typed after that key.
//
// Keys, as a terminal's own line editing (cooked mode) treats them:
// - Enter (CR, or LF) ends the answer.
// - Ctrl-C (ETX) ends it as an interrupt.
// - Ctrl-D (EOT) at an empty line ends it as end of input. In the middle of a line it is dropped: a terminal
//   then only hands over the line typed so far, and a reader of whole lines (bash's `read -s`, Go's
//   term.ReadPassword) goes on reading to Enter. It is never part of the passphrase. NUL counts as Ctrl-D:
//   a Ctrl-D typed while no prompt was up (the terminal in its own line editing, between two prompts) is
//   kept by the terminal as a NUL end-of-file mark, which the next prompt, in raw mode, reads as a byte.
// - Backspace (DEL or BS) removes the last character (code point) typed, as the terminal's erase does with
//   IUTF8: an emoji is two UTF-16 units, and removing one would leave half of it in a passphrase nobody
//   could type again.
// - Ctrl-U (NAK) erases the whole line typed so far, as the terminal's kill character does: a user who
//   lost track of a passphrase typed blind starts it again, where the key would otherwise be a character
//   of it.
// Everything else is part of the passphrase. Nothing is echoed: that is the prompt's job, and it shows
// nothing of what is typed.

import { StringDecoder } from 'node:string_decoder';

export type LineEnd = 'enter' | 'interrupt' | 'end-of-input';

export interface EndedLine {
  end: LineEnd;
  /** The answer; meaningful when `end` is 'enter'. */
  text: string;
  /** The bytes that came after the key that ended the line, unread: the next reader's (the next prompt's). */
  rest: Buffer;
}

const CR = 0x0d;
const LF = 0x0a;
const CTRL_C = 0x03;
const CTRL_D = 0x04;
const NUL = 0x00;
const LINE_KEYS: ReadonlyMap<number, LineEnd> = new Map([
  [CR, 'enter'],
  [LF, 'enter'],
  [CTRL_C, 'interrupt'],
  [CTRL_D, 'end-of-input'],
  [NUL, 'end-of-input'],
]);

const ERASE = new Set(['\u007f', '\b']);
const KILL_LINE = '\u0015';

export class PassphraseLine {
  #text = '';
  // Bytes arrive as the terminal sends them: a character pasted over a slow line may be split between two
  // chunks. The decoder keeps the first bytes of such a character until the rest comes, where decoding each
  // chunk alone would turn both halves into U+FFFD. The keys that end a line are ASCII, never a byte of a
  // multi-byte character, so a chunk can be cut at them before it is decoded.
  readonly #decoder = new StringDecoder('utf8');

  /** Takes the next bytes typed: how the line ended and what followed, or undefined while it goes on. */
  feed(chunk: Buffer): EndedLine | undefined {
    let bytes = chunk;
    for (;;) {
      const at = bytes.findIndex((byte) => LINE_KEYS.has(byte));
      if (at < 0) {
        this.#type(this.#decoder.write(bytes));
        return undefined;
      }
      this.#type(this.#decoder.write(bytes.subarray(0, at)));
      const end = LINE_KEYS.get(bytes[at]!)!;
      bytes = bytes.subarray(at + 1);
      if (end === 'end-of-input' && this.#text !== '') continue;
      this.#type(this.#decoder.end());
      return { end, text: this.#text, rest: bytes };
    }
  }

  #type(chars: string): void {
    for (const char of chars) {
      if (ERASE.has(char)) this.#text = Array.from(this.#text).slice(0, -1).join('');
      else if (char === KILL_LINE) this.#text = '';
      else this.#text += char;
    }
  }
}
