// Errors in words, not codes: each API error code gets a headline a user can act on, JSON paths become
// the names of fields, NT status names become plain words, and nothing says "invalid-request"; byte
// counts read in KiB/MiB; a new passphrase is checked before it leaves the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { ApiErrorCode, ApiRequestError, invalidRequest } from '../../main/api/index.js';
import { describeError } from '../../renderer/src/words/error-words.js';
import { fieldLabel, pathInWords } from '../../renderer/src/words/field-labels.js';
import { plainStatusWords } from '../../renderer/src/words/status-words.js';
import { detailInWords } from '../../renderer/src/words/format.js';
import { passphraseProblem } from '../../renderer/src/state/passphrase.js';

test('every API error code has a headline in words that does not show the code', () => {
  for (const code of ApiErrorCode.options) {
    const words = describeError(new ApiRequestError(code, 'something'));
    assert.ok(words.title.length > 20, code);
    assert.ok(!words.title.toLowerCase().includes(code), `${code} shows in "${words.title}"`);
    assert.doesNotMatch(words.title, /\b(4\d\d|5\d\d)\b/, 'no HTTP status numbers');
  }
  assert.match(describeError(new ApiRequestError('agent-unreachable', 'x')).title, /strata agent/);
});

test('a refused request lists each problem with the name of its field and no JSON path', () => {
  const schema = z.strictObject({ path: z.string().min(2, 'too short'), policy: z.strictObject({ scan: z.strictObject({ settings: z.strictObject({ action: z.enum(['a']) }) }) }) });
  const parsed = schema.safeParse({ path: 'x', policy: { scan: { settings: { action: 'explode' } } } });
  assert.equal(parsed.success, false);
  const words = describeError(invalidRequest('the addFolder request', parsed.error!));
  assert.equal(words.detail, null);
  assert.deepEqual(words.problems.map((p) => [p.path, p.field]), [['$.path', 'Folder path'], ['$.policy.scan.settings.action', 'Scanning: action on a threat']]);
  assert.equal(words.problems[0]!.message, 'too short');
});

test('a message carrying a JSON path keeps only its words', () => {
  const unavailable = describeError(new ApiRequestError('unavailable', 'the scan filter is not available in this build (at $.policy.scan)', '$.policy.scan'));
  assert.equal(unavailable.detail, 'The scan filter is not available in this build');
  assert.deepEqual(unavailable.problems.map((p) => p.field), ['Virus scanning']);
});

test('NT status names in messages become words; unknown ones are left alone', () => {
  assert.equal(plainStatusWords('write failed: STATUS_VIRUS_INFECTED (0xC0000906)'), 'write failed: a virus was found in it');
  assert.equal(plainStatusWords('STATUS_FILE_ENCRYPTED'), 'its folder is locked');
  assert.equal(plainStatusWords('STATUS_SOMETHING_NEW'), 'STATUS_SOMETHING_NEW');
  assert.match(describeError(new Error('recall: STATUS_FILE_IS_OFFLINE')).detail ?? '', /cold storage/);
});

test('paths without a label read as words, positions counted from 1', () => {
  assert.equal(fieldLabel('$.folders[2].policy.scan.settings.action'), 'Scanning: action on a threat');
  assert.equal(pathInWords('$.folders[2].weird'), 'folders › 3 › weird');
  assert.equal(pathInWords('$["odd key"]'), 'odd key');
  assert.equal(pathInWords('$'), 'the whole document');
});

test('a JSON syntax error and a plain Error still come out as words', () => {
  let syntax: unknown;
  try {
    JSON.parse('{');
  } catch (error) {
    syntax = error;
  }
  assert.match(describeError(syntax).title, /not valid JSON/);
  assert.match(describeError('boom').detail ?? '', /boom/);
});

test('byte counts in event details also read in KiB or MiB, exact bytes kept', () => {
  assert.equal(detailInWords('262144 bytes to tier nas'), '256 KiB (262,144 bytes) to tier nas');
  assert.equal(detailInWords('12 bytes through crypt'), '12 bytes through crypt');
  assert.equal(detailInWords('recall: STATUS_FILE_IS_OFFLINE, 5242880 bytes'), 'recall: it is in cold storage and could not be brought back, 5.0 MiB (5,242,880 bytes)');
});

test('a new passphrase must be long enough and typed the same twice', () => {
  assert.equal(passphraseProblem('short', 'short'), 'choose a passphrase of at least 8 characters');
  assert.equal(passphraseProblem('long enough', 'long enougH'), 'the two passphrases differ');
  assert.equal(passphraseProblem('long enough', 'long enough'), null);
});
