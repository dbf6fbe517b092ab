// What the GUI says about a chosen policy file's signature before the agent checks it (signed and by
// which claimed key, not signed, malformed), and the trusted key file it reads: a file far larger than a
// key is refused unread, naming it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claimedSignature, readTrustedKeyFile } from '../../renderer/src/state/policy-signature.js';

const KEY = `${'A'.repeat(42)}E=`;
const VALUE = `${'B'.repeat(86)}==`;

test('a signature is read as a claim: signed with the key it names, not signed, or malformed', () => {
  assert.deepEqual(claimedSignature({ format: 'strata-policy', signature: { algorithm: 'ed25519', publicKey: KEY, value: VALUE } }), { kind: 'signed', publicKey: KEY });
  assert.deepEqual(claimedSignature({ format: 'strata-policy' }), { kind: 'unsigned' });
  assert.deepEqual(claimedSignature([{ signature: {} }]), { kind: 'unsigned' });
  assert.deepEqual(claimedSignature({ signature: { algorithm: 'rsa', publicKey: KEY, value: VALUE } }), { kind: 'malformed', message: 'the only signature algorithm is "ed25519"' });
  assert.deepEqual(claimedSignature({ signature: { algorithm: 'ed25519', publicKey: `${'A'.repeat(42)}==`, value: VALUE } }), { kind: 'malformed', message: 'the public key must encode 32 bytes' });
});

test('a trusted key file is read as its name and text; a file far larger than a key is refused unread', async () => {
  const text = '{"type":"strata-policy-verify-key"}';
  assert.deepEqual(await readTrustedKeyFile(new File([text], 'team.pub')), { ok: true, key: { name: 'team.pub', content: text } });
  const big = new File(['x'.repeat(5000)], 'policy.json');
  assert.deepEqual(await readTrustedKeyFile(big), {
    ok: false,
    message: 'The public key file policy.json is 5000 bytes, more than a Strata public key file (at most 4096): choose the .pub file that strata policy keygen wrote.',
  });
});
