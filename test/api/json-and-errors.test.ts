// The API's small pieces: JSON paths as users read them, canonical JSON for signatures, and error bodies
// that survive the round trip from agent to client.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { ApiErrorBody, ApiRequestError, absolutePathProblem, canonicalJson, formatJsonPath, invalidRequest } from '../../main/api/index.js';

describe('api basics', () => {
  it('JSON paths read like JavaScript accessors', () => {
    assert.equal(formatJsonPath([]), '$');
    assert.equal(formatJsonPath(['folders', 2, 'policy', 'scan']), '$.folders[2].policy.scan');
    assert.equal(formatJsonPath(['a b', 'ok']), '$["a b"].ok');
  });

  it('canonical JSON sorts keys at every depth and drops undefined, so equal values sign equally', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
    assert.equal(canonicalJson({ x: 'é' }), canonicalJson(JSON.parse('{"x":"\\u00e9"}')));
    assert.throws(() => canonicalJson(() => 1), TypeError);
  });

  it('validation failures name every problem with its path, unknown keys at their own path', () => {
    const schema = z.strictObject({ a: z.int(), b: z.strictObject({ c: z.boolean() }) });
    const error = invalidRequest('the request', schema.safeParse({ a: 'x', b: { c: 1, d: 2 } }).error!);
    assert.equal(error.code, 'invalid-request');
    assert.equal(error.path, '$.a');
    assert.deepEqual(error.problems.map((p) => p.path), ['$.a', '$.b.c', '$.b.d']);
    assert.match(error.message, /and 2 more problems/);
  });

  it('an error body survives the trip from agent to client', () => {
    const error = new ApiRequestError('conflict', 'taken', '$.name');
    const body = ApiErrorBody.parse(JSON.parse(JSON.stringify(error.toBody())));
    const back = ApiRequestError.fromBody(body);
    assert.deepEqual([back.code, back.message, back.path, back.problems], ['conflict', 'taken', '$.name', [{ path: '$.name', message: 'taken' }]]);
  });

  it('absolute paths are checked as strings for every OS', () => {
    assert.equal(absolutePathProblem('/home/me/docs'), null);
    assert.equal(absolutePathProblem('C:\\Users\\me'), null);
    assert.equal(absolutePathProblem('\\\\server\\share\\x'), null);
    assert.match(absolutePathProblem('docs')!, /not an absolute path/);
    assert.match(absolutePathProblem('/a/./b')!, /'\.'/);
    assert.match(absolutePathProblem('/a/b/')!, /ends with a separator/);
    assert.match(absolutePathProblem('/a\0')!, /NUL/);
  });
});
