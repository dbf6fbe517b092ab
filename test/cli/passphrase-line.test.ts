// The prompt's line editing on its own (main/cli/commands/crypt/passphrase-line.ts): bytes as a terminal
// in raw mode sends them in, one answer out. The keys' effect at a real terminal is in passphrase-prompt.test.ts.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PassphraseLine } from '../../main/cli/commands/crypt/passphrase-line.js';

function answer(...chunks: string[]): { end: string; text: string; rest: string } | undefined {
  const line = new PassphraseLine();
  for (const chunk of chunks) {
    const ended = line.feed(Buffer.from(chunk, 'utf8'));
    if (ended !== undefined) return { end: ended.end, text: ended.text, rest: ended.rest.toString('utf8') };
  }
  return undefined;
}

describe('passphrase prompt: line editing', () => {
  it('Ctrl-U erases everything typed so far, and is never part of the passphrase', () => {
    assert.deepEqual(answer('wrong start\u0015right one\r'), { end: 'enter', text: 'right one', rest: '' });
    assert.deepEqual(answer('half', '\u0015', 'whole\r'), { end: 'enter', text: 'whole', rest: '' }, 'across reads');
    assert.deepEqual(answer('\u0015\r'), { end: 'enter', text: '', rest: '' }, 'on an empty line it erases nothing');
  });

  it('Enter ends the answer and leaves what follows for the next reader; Backspace removes a whole character', () => {
    assert.deepEqual(answer('pass\rpass\r'), { end: 'enter', text: 'pass', rest: 'pass\r' });
    assert.deepEqual(answer('ab😀\u007f\r'), { end: 'enter', text: 'ab', rest: '' });
  });
});
