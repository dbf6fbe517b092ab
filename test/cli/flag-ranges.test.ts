// Numeric flags out of range are usage errors naming the flag and its range, never an internal error:
// `strata events` ages beyond 100 years, and `strata vault unlock --minutes` beyond a week — checked
// before the vault key is unwrapped, so no key is left unwiped and no session is written — and scrypt
// work factors beyond what libsodium can compute (`vault create|passwd --work-factor`, 18 to 20).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strata, tempDir } from '../e2e/agent-process.js';

test('an age flag of `strata events` beyond 100 years is a usage error naming the flag', (t) => {
  const data = join(tempDir(t, 'strata-flags-'), 'data');
  for (const [flag, value] of [['--since', '999999999d'], ['--until', '36501d'], ['--prune-older-than', '99999999999999999999w'], ['--since', '3153600001s']] as const) {
    const run = strata(['events', flag, value], data);
    assert.equal(run.status, 2, `${flag} ${value}: ${run.stderr}`);
    assert.equal(run.stderr, `strata: ${flag} takes an age of at most 100 years (36500d, 5214w, 876000h, 52560000m, 3153600000s); got '${value}'\n`);
  }
  const longest = strata(['events', '--since', '36500d', '--json'], data);
  assert.equal(longest.status, 0, longest.stderr);
  assert.deepEqual(JSON.parse(longest.stdout).events, []);
});

test('`vault unlock --minutes` out of range is a usage error before the vault is opened, and no session is written', (t) => {
  const root = tempDir(t, 'strata-flags-');
  const [folder, data] = [join(root, 'protected'), join(root, 'data')];
  mkdirSync(folder);
  writeFileSync(join(root, 'pass.txt'), 'a long passphrase\n');
  writeFileSync(join(root, 'wrong.txt'), 'not the passphrase\n');
  const created = strata(['vault', 'create', folder, '--passphrase-file', join(root, 'pass.txt')], data);
  assert.equal(created.status, 0, created.stderr);
  for (const [minutes, passphrase] of [['1e20', 'pass.txt'], ['1e20', 'wrong.txt'], ['10081', 'pass.txt'], ['0', 'pass.txt']] as const) {
    const run = strata(['vault', 'unlock', folder, '--passphrase-file', join(root, passphrase), '--minutes', minutes], data);
    assert.equal(run.stderr, `strata: --minutes takes a number of minutes greater than 0 and at most 10080 (a week), got '${minutes}'\n`, `--minutes ${minutes} with ${passphrase}`);
    assert.equal(run.status, 2);
  }
  assert.equal(existsSync(join(data, 'crypt-sessions')), false, 'no session was written');
});

test('`vault create` and `vault passwd` take --work-factor 18 to 20 only: anything else is a usage error naming the flag, and nothing is written', (t) => {
  const root = tempDir(t, 'strata-flags-');
  const [folder, data] = [join(root, 'protected'), join(root, 'data')];
  mkdirSync(folder);
  writeFileSync(join(root, 'pass.txt'), 'a long passphrase\n');
  for (const factor of ['21', '22', '17', '18.5']) {
    const run = strata(['vault', 'create', folder, '--passphrase-file', join(root, 'pass.txt'), '--work-factor', factor], data);
    assert.equal(run.stderr, `strata: --work-factor takes an integer from 18 to 20 (log2 N; 2^21 and above need more memory than libsodium can use), got '${factor}'\n`);
    assert.equal(run.status, 2);
  }
  assert.deepEqual(readdirSync(folder), [], 'no vault was created');
  const created = strata(['vault', 'create', folder, '--passphrase-file', join(root, 'pass.txt')], data);
  assert.equal(created.status, 0, created.stderr);
  const before = readFileSync(join(folder, '.strata-vault', 'identity.age'));
  const passwd = strata(['vault', 'passwd', folder, '--passphrase-file', join(root, 'pass.txt'), '--new-passphrase-file', join(root, 'pass.txt'), '--work-factor', '21'], data);
  assert.equal(passwd.status, 2, passwd.stderr);
  assert.match(passwd.stderr, /--work-factor takes an integer from 18 to 20/);
  assert.deepEqual(readFileSync(join(folder, '.strata-vault', 'identity.age')), before, 'the identity file is unchanged');
});
