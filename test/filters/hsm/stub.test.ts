// The stub format (magic, version, fields, MAC) and its key: round trip, every way a stub can be
// malformed or tampered with, and the key file's permissions and creation.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { chmod, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { STATUS_FILE_CORRUPT_ERROR } from '../../../main/io/index.js';
import {
  STUB_MAX_SIZE, StubError, decodeStub, encodeStub, looksLikeStub, type StubFields,
} from '../../../filters/hsm/stub/stub-format.js';
import { STUB_KEY_FILE, StubKeyError, loadOrCreateStubKey } from '../../../filters/hsm/stub/stub-key.js';
import { tempDir } from './temp-dir.js';

const KEY = new Uint8Array(32).fill(7);
const FIELDS: StubFields = {
  size: 1234567, mtime: 1_700_000_000_123, atime: 1_700_000_100_456, sha256: 'ab'.repeat(32), tier: 'cold', object: 'ab'.repeat(32),
};
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A stub with a valid MAC over arbitrary lines (what someone holding the key could write). */
function signed(magicLine: string, fieldsLine: string): Uint8Array {
  const body = `${magicLine}\n${fieldsLine}\n`;
  return bytes(`${body}hmac-sha256:${createHmac('sha256', KEY).update(body).digest('base64url')}\n`);
}

function rejects(stub: Uint8Array, pattern: RegExp, key = KEY): void {
  assert.throws(() => decodeStub(stub, key, '\\docs\\a.txt'), (error: unknown) => {
    assert.ok(error instanceof StubError, String(error));
    assert.equal(error.status, STATUS_FILE_CORRUPT_ERROR);
    assert.match(error.message, /stub \\docs\\a\.txt/, 'the message names the stub');
    assert.match(error.message, pattern);
    return true;
  });
}

describe('stub format', () => {
  it('a stub round-trips: three text lines with magic, version, fields and MAC', () => {
    const stub = encodeStub(FIELDS, KEY);
    assert.ok(stub.length < 400, `small (${stub.length} bytes)`);
    const lines = text(stub).split('\n');
    assert.equal(lines[0], 'strata-hsm-stub/1');
    assert.match(lines[2]!, /^hmac-sha256:[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(decodeStub(stub, KEY, 'x'), FIELDS);
    assert.ok(looksLikeStub(stub));
    assert.equal(looksLikeStub(bytes('plain file content')), false);
  });

  it('a hand-edited field is detected by the MAC (never recalled from another object)', () => {
    const edited = text(encodeStub(FIELDS, KEY)).replace(`"object":"${'ab'.repeat(32)}"`, `"object":"${'cd'.repeat(32)}"`);
    rejects(bytes(edited), /line 3: the MAC does not match/);
    const resized = text(encodeStub(FIELDS, KEY)).replace('"size":1234567', '"size":1234568');
    rejects(bytes(resized), /MAC does not match/);
  });

  it('a stub made with another data dir\'s key is refused', () => {
    rejects(encodeStub(FIELDS, new Uint8Array(32).fill(9)), /another data dir's key/);
  });

  it('a malformed stub is refused naming the line and field', () => {
    const good = text(encodeStub(FIELDS, KEY));
    rejects(bytes(good.slice(0, -1)), /expected 3/);
    rejects(bytes(good + 'extra\n'), /expected 3/);
    rejects(bytes(good.replace('strata-hsm-stub/1', 'strata-hsm-stub/2')), /line 1: format version '2' is not supported/);
    rejects(bytes(good.replace('strata-hsm-stub/1', 'not-a-stub/1')), /line 1: magic/);
    rejects(bytes(good.replace('hmac-sha256:', 'md5:')), /line 3/);
    rejects(new Uint8Array([0xff, 0xfe, 0x0a]), /not UTF-8/);
    rejects(new Uint8Array(STUB_MAX_SIZE + 1), /more than the 1024/);
  });

  it('fields are checked even under a valid MAC: types, ranges, hex ids, no unknown fields', () => {
    const magic = 'strata-hsm-stub/1';
    const base = { ...FIELDS };
    rejects(signed(magic, '[1,2]'), /line 2: not a JSON object/);
    rejects(signed(magic, '{oops'), /line 2: not a JSON object/);
    rejects(signed(magic, JSON.stringify({ ...base, size: -1 })), /field 'size' must be a non-negative integer/);
    rejects(signed(magic, JSON.stringify({ ...base, mtime: 1.5 })), /field 'mtime'/);
    rejects(signed(magic, JSON.stringify({ ...base, object: '../../etc/passwd' })), /field 'object' must be 64 lowercase hex digits/);
    rejects(signed(magic, JSON.stringify({ ...base, sha256: 'AB'.repeat(32) })), /field 'sha256'/);
    rejects(signed(magic, JSON.stringify({ ...base, tier: '../x' })), /field 'tier'/);
    rejects(signed(magic, JSON.stringify({ ...base, extra: 1 })), /unknown field 'extra'/);
    assert.deepEqual(decodeStub(signed(magic, JSON.stringify(base)), KEY, 'x'), FIELDS);
  });

  it('encoding refuses fields no stub may carry', () => {
    assert.throws(() => encodeStub({ ...FIELDS, object: 'nope' }, KEY), StubError);
  });
});

describe('stub key', () => {
  it('is created once, 32 bytes, owner-only (0600), and read back the same', async (t) => {
    const dataDir = await tempDir(t, 'key');
    const first = await loadOrCreateStubKey(dataDir);
    assert.equal(first.length, 32);
    if (process.platform !== 'win32') assert.equal((await stat(join(dataDir, STUB_KEY_FILE))).mode & 0o777, 0o600);
    assert.deepEqual(await loadOrCreateStubKey(dataDir), first);
    assert.deepEqual((await readdir(dataDir)).sort(), [STUB_KEY_FILE], 'no temporary file is left behind');
  });

  it('two processes creating it at once agree on one key', async (t) => {
    const dataDir = await tempDir(t, 'key');
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateStubKey(dataDir)));
    for (const key of keys) assert.deepEqual(key, keys[0]);
  });

  it('a key others can read, or of the wrong length, is refused naming the file', { skip: process.platform === 'win32' }, async (t) => {
    const dataDir = await tempDir(t, 'key');
    await loadOrCreateStubKey(dataDir);
    const path = join(dataDir, STUB_KEY_FILE);
    await chmod(path, 0o644);
    await assert.rejects(loadOrCreateStubKey(dataDir), (error: unknown) => error instanceof StubKeyError && error.message.includes(path) && /readable by others/.test(error.message));
    await writeFile(path, 'short', { mode: 0o600 });
    await chmod(path, 0o600);
    await assert.rejects(loadOrCreateStubKey(dataDir), /holds 5 bytes, expected 32/);
  });
});
