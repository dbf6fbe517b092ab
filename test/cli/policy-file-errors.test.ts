// Errors about a policy file name the file: a document that fails validation, and a hostile file nested
// deeper than any policy (which used to overflow the stack in the signature check, or in the HTTP
// client, blamed on the agent). Runs the real bin/strata.js, with and without a running agent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnAgent, strata, tempDir } from '../e2e/agent-process.js';

const DEPTH = 100_000;
const SIGNATURE = `{"algorithm":"ed25519","publicKey":"${'A'.repeat(43)}=","value":"${'A'.repeat(86)}=="}`;

function deepPolicyFile(root: string, signed: boolean): string {
  const file = join(root, 'deep-policy.json');
  writeFileSync(file, `{"format":"strata-policy","junk":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}${signed ? `,"signature":${SIGNATURE}` : ''}}`);
  return file;
}

const tooDeep = (file: string) => `strata: the policy file ${file} is invalid: nested deeper than 32 at $.junk${'[0]'.repeat(31)}\n`;

test('an invalid policy document is reported under the name of its file', (t) => {
  const root = tempDir(t, 'strata-policy-file-');
  const file = join(root, 'team-policy.json');
  writeFileSync(file, JSON.stringify({ format: 'strata-policy', version: 1, exportedAt: '2024-01-01T00:00:00Z', folders: [{ name: 'x', path: 'relative', policy: {} }], tiers: [], signatureSets: [], media: {} }));
  const run = strata(['policy', 'import', file], join(root, 'data'));
  assert.equal(run.status, 1);
  assert.match(run.stderr, new RegExp(`^strata: the policy file ${file.replace(/[.]/g, '\\.')}: the policy document is invalid at \\$\\.folders\\[0\\]\\.path: `));
});

test('a deeply nested policy file checked with --verify is refused as invalid, naming the file and the place', (t) => {
  const root = tempDir(t, 'strata-policy-file-');
  const data = join(root, 'data');
  assert.equal(strata(['policy', 'keygen', join(root, 'k'), join(root, 'k.pub')], data).status, 0);
  const file = deepPolicyFile(root, true);
  const run = strata(['policy', 'import', file, '--verify', join(root, 'k.pub')], data);
  assert.equal(run.stderr, tooDeep(file));
  assert.equal(run.status, 1);
});

test('a deeply nested policy file is refused as invalid when an agent runs, not blamed on the agent', async (t) => {
  const root = tempDir(t, 'strata-policy-file-');
  const data = join(root, 'data');
  await spawnAgent(t, data, { stream: false });
  const file = deepPolicyFile(root, false);
  const run = strata(['policy', 'import', file], data);
  assert.equal(run.stderr, tooDeep(file));
  assert.equal(run.status, 1);
});
