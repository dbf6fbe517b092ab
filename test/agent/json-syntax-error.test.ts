// The agent's JSON fault finder: it agrees with V8 about where a text stops being JSON (wherever V8's own
// message gives a position), accepts exactly what JSON.parse accepts, copes with any nesting, and its
// words never quote the text.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeJsonSyntaxError, jsonSyntaxErrorOffset } from '../../main/agent/server/json-syntax-error.js';

const MALFORMED = [
  '{"a":1 "b"}', '"abc\u0001"', '1 2', '{"a":"x\\q"}', '-', '01', '"\\u12"', '{"a" 1}', '[1 2]', '{,}', '1.', '1e',
  '1e+', '[-]', '{"a":1,}', '[1,]', '{"a":}', 'tru', 'nul', 'fals', 'x', '{"passphrase": hunter2}', '[', '{', '{"a"',
  '{"a":', '"abc', '"\\', '{"a":[1,{"b":2]}', '\ufeff{}', '[1]]', '{"a":1}}', '  {"a":\n  nope}',
];
const VALID = ['{}', '[]', ' {"a": [1, -2.5e+3, true, false, null, "x\\u00e9\\n"]} ', '0', '-0.0E-0', '"\\/"', '[[[]],{}]'];

/** V8 names the position for most faults (not for "Unexpected token", whose message quotes the text instead). */
function v8Position(text: string): number | null {
  try {
    JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    if (message === 'Unexpected end of JSON input') return text.length;
    const position = /at position (\d+)/.exec(message);
    return position === null ? null : Number(position[1]);
  }
  throw new Error(`${JSON.stringify(text)} is JSON`);
}

describe('JSON syntax errors by position', () => {
  it('finds the offset V8 reports, for every malformed text where V8 reports one', () => {
    let compared = 0;
    for (const text of MALFORMED) {
      const offset = jsonSyntaxErrorOffset(text);
      assert.notEqual(offset, null, `${JSON.stringify(text)} is not JSON`);
      const expected = v8Position(text);
      if (expected === null) continue;
      assert.equal(offset, expected, JSON.stringify(text));
      compared++;
    }
    assert.ok(compared >= 20, `compared ${compared} positions with V8`);
  });

  it('points at the first character that cannot belong where V8 does not say', () => {
    assert.equal(jsonSyntaxErrorOffset('{"a":}'), 5);
    assert.equal(jsonSyntaxErrorOffset('[1,]'), 3);
    assert.equal(jsonSyntaxErrorOffset('{"passphrase": hunter2}'), 15);
    assert.equal(jsonSyntaxErrorOffset('x'), 0);
  });

  it('finds no fault in JSON', () => {
    for (const text of VALID) {
      JSON.parse(text);
      assert.equal(jsonSyntaxErrorOffset(text), null, text);
    }
  });

  it('copes with a million nested brackets', () => {
    const deep = `${'['.repeat(1_000_000)}x`;
    assert.equal(jsonSyntaxErrorOffset(deep), 1_000_000);
  });

  it('says line and column, never the text', () => {
    const text = '{\n  "passphrase": hunter2 }';
    assert.equal(describeJsonSyntaxError(text), 'a character that does not belong at line 2, column 17');
    assert.equal(describeJsonSyntaxError('{"passphrase": "hunter2'), 'it ends too early (line 1, column 24)');
  });
});
