// `strata policy keygen` never destroys a key: it refuses when either key file exists (naming it) and
// writes nothing; --force replaces both. Runs the real bin/strata.js on temp dirs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strata, tempDir } from '../e2e/agent-process.js';

function keygen(root: string, ...args: string[]) {
  return strata(['policy', 'keygen', ...args], join(root, 'data'));
}

test('keygen refuses to overwrite an existing secret key and leaves both files as they were', (t) => {
  const root = tempDir(t, 'strata-keygen-');
  const [secret, pub] = [join(root, 'signing.key'), join(root, 'signing.pub')];
  const first = keygen(root, secret, pub);
  assert.equal(first.status, 0, first.stderr);
  const before = [readFileSync(secret, 'utf8'), readFileSync(pub, 'utf8')];

  const again = keygen(root, secret, pub);
  assert.equal(again.status, 1, again.stdout);
  assert.equal(again.stderr, `strata: the secret key file ${secret} already exists; keygen does not replace a key (a replaced signing key is lost for good): name another file, or pass --force to replace it\n`);
  assert.deepEqual([readFileSync(secret, 'utf8'), readFileSync(pub, 'utf8')], before);
  assert.deepEqual(readdirSync(root).filter((name) => name !== 'data').sort(), ['signing.key', 'signing.pub'], 'no temporary file is left');
});

test('keygen refuses when only the public key file exists, and creates no secret key', (t) => {
  const root = tempDir(t, 'strata-keygen-');
  const [secret, pub] = [join(root, 'new.key'), join(root, 'taken.pub')];
  writeFileSync(pub, 'something the user keeps here\n');
  const run = keygen(root, secret, pub);
  assert.equal(run.status, 1);
  assert.match(run.stderr, new RegExp(`the public key file ${pub.replace(/[.]/g, '\\.')} already exists`));
  assert.equal(readFileSync(pub, 'utf8'), 'something the user keeps here\n');
  assert.deepEqual(readdirSync(root).filter((name) => name !== 'data'), ['taken.pub'], 'no half key pair is left');
});

test('keygen --force replaces both key files with a new pair, the secret one owner-only', (t) => {
  const root = tempDir(t, 'strata-keygen-');
  const [secret, pub] = [join(root, 'signing.key'), join(root, 'signing.pub')];
  assert.equal(keygen(root, secret, pub).status, 0);
  const before = [readFileSync(secret, 'utf8'), readFileSync(pub, 'utf8')];
  const forced = keygen(root, secret, pub, '--force');
  assert.equal(forced.status, 0, forced.stderr);
  const after = [readFileSync(secret, 'utf8'), readFileSync(pub, 'utf8')];
  assert.notEqual(after[0], before[0]);
  assert.notEqual(after[1], before[1]);
  assert.equal(statSync(secret).mode & 0o777, 0o600);
  assert.ok(forced.stdout.includes((JSON.parse(after[1]!) as { publicKey: string }).publicKey), 'the new public key is printed');
});

test('keygen refuses one file for both keys', (t) => {
  const root = tempDir(t, 'strata-keygen-');
  const run = keygen(root, join(root, 'k'), join(root, 'k'));
  assert.equal(run.status, 1);
  assert.match(run.stderr, /cannot both be written to .*: name two files/);
  assert.deepEqual(readdirSync(root).filter((name) => name !== 'data'), []);
});
