// Deeply nested JSON never overflows the stack: the depth is found without recursion (naming the
// place), canonical JSON refuses a value past its bound with a clear error, and the HTTP client reports
// a body it cannot serialize as an invalid request rather than an agent that did not answer.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiRequestError, canonicalJson, createHttpClient, JsonTooDeepError } from '../../main/api/index.js';
import { POLICY_FILE_MAX_DEPTH, tooDeepAt } from '../../main/api/json-depth.js';

const nested = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

describe('JSON nesting depth', () => {
  it('counts the top-level value as depth 1 and names the first container past the bound, in document order', () => {
    assert.equal(tooDeepAt(nested(POLICY_FILE_MAX_DEPTH), POLICY_FILE_MAX_DEPTH), null);
    assert.equal(tooDeepAt(nested(POLICY_FILE_MAX_DEPTH + 1), POLICY_FILE_MAX_DEPTH), `$${'[0]'.repeat(POLICY_FILE_MAX_DEPTH)}`);
    assert.equal(tooDeepAt({ a: 1, folders: [{ name: 'x' }, { 'odd key': [[{}]] }], b: [[[]]] }, 4), '$.folders[1]["odd key"][0]');
    assert.equal(tooDeepAt('text', 1), null);
    assert.equal(tooDeepAt({}, 0), '$');
  });

  it('walks 100,000 levels without recursion', () => {
    assert.equal(tooDeepAt(nested(100_000), POLICY_FILE_MAX_DEPTH), `$${'[0]'.repeat(POLICY_FILE_MAX_DEPTH)}`);
    assert.equal(tooDeepAt(nested(100_000), 200_000), null);
  });

  it('a cycle is reported as too deep, not a hang', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    assert.equal(tooDeepAt(loop, 3), '$.self.self.self');
  });
});

describe('canonical JSON of deep values', () => {
  it('refuses a value nested past its bound with JsonTooDeepError naming the place', () => {
    assert.throws(() => canonicalJson({ junk: nested(100_000) }), (error: unknown) => {
      assert.ok(error instanceof JsonTooDeepError, String(error));
      assert.equal(error.maxDepth, 1000);
      assert.equal(error.path, `$.junk${'[0]'.repeat(999)}`);
      assert.match(error.message, /^nested deeper than 1000 at \$\.junk\[0\]/);
      return true;
    });
  });

  it('still writes values up to the bound', () => {
    assert.equal(canonicalJson(nested(1000)), `${'['.repeat(1000)}${']'.repeat(1000)}`);
  });
});

describe('the HTTP client and bodies with no JSON form', () => {
  // Nothing listens on the discard port: had the client tried to send, it would say the agent did not answer.
  const api = createHttpClient({ baseUrl: 'http://127.0.0.1:9', token: 'unused' });

  for (const [what, document] of [['nested 100,000 deep', { junk: nested(100_000) }], ['a cycle', (() => { const loop: Record<string, unknown> = {}; loop.self = loop; return loop; })()]] as const) {
    it(`a request holding ${what} is an invalid request, never sent`, async () => {
      await assert.rejects(api.importPolicy({ document, mode: 'merge', dryRun: true }), (error: unknown) => {
        assert.ok(error instanceof ApiRequestError, String(error));
        assert.equal(error.code, 'invalid-request');
        assert.match(error.message, /^the importPolicy request cannot be sent as JSON: /);
        return true;
      });
    });
  }
});
