// Importing a signed policy over the API with a trusted public key (verifyWith, the key file's text): a
// real agent in this process, key pairs and signed files made by the real keygen and signing code. The
// signature must verify with the trusted key, never the key the file names; a tampered document, another
// key, an unsigned file or a malformed key file is refused, naming the key file and why, and nothing is
// applied (not even by a real, non-dry-run import) and no event is logged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKeys, signPolicyDocument } from '../../main/agent/policy/policy-signing.js';
import { createHttpClient, isSignatureRefusal, type PolicyDocument, type StrataApi, type TrustedKeyFile } from '../../main/api/index.js';
import { rejectsWith, tempDir } from './agent-fixtures.js';
import { runningAgent } from './running-agent.js';

interface Ground {
  api: StrataApi;
  dir: string;
  trusted: TrustedKeyFile;
  trustedKey: string;
  other: TrustedKeyFile;
  otherKey: string;
  otherSecret: string;
  /** A policy with one folder more than the agent has, signed by the trusted key, as read from its file. */
  signed: PolicyDocument;
}

/** A key file as the GUI sends it: its name and its text. */
const keyFile = (path: string, name: string): TrustedKeyFile => ({ name, content: readFileSync(path, 'utf8') });

async function ground(t: Parameters<typeof runningAgent>[0]): Promise<Ground> {
  const agent = await runningAgent(t);
  const api = createHttpClient({ baseUrl: agent.url, token: agent.token });
  const dir = tempDir(t);
  const { publicKey: trustedKey } = await generateSigningKeys(join(dir, 'team.key'), join(dir, 'team.pub'));
  const { publicKey: otherKey } = await generateSigningKeys(join(dir, 'other.key'), join(dir, 'other.pub'));
  const music = join(dir, 'Music');
  mkdirSync(music);
  const exported = await api.exportPolicy({});
  const signed = await signPolicyDocument({ ...exported, folders: [{ name: 'Music', path: music, policy: {} }] }, join(dir, 'team.key'));
  writeFileSync(join(dir, 'signed.json'), JSON.stringify(signed, null, 2));
  return {
    api, dir, trustedKey, otherKey, otherSecret: join(dir, 'other.key'),
    trusted: keyFile(join(dir, 'team.pub'), 'team.pub'),
    other: keyFile(join(dir, 'other.pub'), 'other.pub'),
    signed: JSON.parse(readFileSync(join(dir, 'signed.json'), 'utf8')) as PolicyDocument,
  };
}

const unchanged = async (api: StrataApi) => {
  const policy = await api.exportPolicy({});
  const events = (await api.queryEvents({})).events.length;
  return { policy: { ...policy, exportedAt: '' }, events };
};

/** Both a dry run and a real import are refused at `path` with `message`; nothing changes, nothing is logged. */
async function refused(api: StrataApi, document: unknown, verifyWith: TrustedKeyFile, path: string, message: RegExp): Promise<void> {
  const before = await unchanged(api);
  for (const dryRun of [true, false]) {
    const error = await rejectsWith(api.importPolicy({ document, dryRun, verifyWith }), 'invalid-request', path, message);
    assert.ok(isSignatureRefusal(error), 'a client can tell a refused signature from other problems');
  }
  assert.deepEqual(await unchanged(api), before, 'nothing was applied and no event was logged');
}

test('a signed file verifies with the trusted key file: the dry run and the import say which key, and the import applies', async (t) => {
  const { api, signed, trusted, trustedKey } = await ground(t);
  const dry = await api.importPolicy({ document: signed, dryRun: true, verifyWith: trusted });
  assert.deepEqual(dry.verifiedWith, { keyFile: 'team.pub', publicKey: trustedKey });
  assert.equal(dry.applied, false);
  assert.deepEqual(dry.changes.map((c) => [c.op, c.what]), [['add', 'folder']]);
  const reindented = { signature: signed.signature, ...signed, media: signed.media };
  const done = await api.importPolicy({ document: reindented, verifyWith: trusted });
  assert.deepEqual([done.applied, done.verifiedWith], [true, { keyFile: 'team.pub', publicKey: trustedKey }]);
  assert.deepEqual((await api.listFolders({})).folders.map((f) => f.name), ['Music']);
  const plain = await api.importPolicy({ document: signed, dryRun: true });
  assert.equal(plain.verifiedWith, undefined, 'no key asked for, nothing said about the signature');
});

test('a document changed after signing is refused with the trusted key, and nothing is applied', async (t) => {
  const { api, signed, trusted } = await ground(t);
  const tampered = { ...signed, media: { ...signed.media, scan: { ...signed.media.scan, action: 'report' } } };
  await refused(api, tampered, trusted, '$.signature', /^the signature of the policy document does not verify with the key in team\.pub: the document was changed after it was signed$/);
});

test('a file signed by another key is refused: the key it names is never used, and both keys are named', async (t) => {
  const { api, signed, trusted, trustedKey, other, otherKey, otherSecret } = await ground(t);
  // Signed by the other key, and so naming it: it verifies with that key, never with the trusted one.
  const byOther = await signPolicyDocument(signed, otherSecret);
  assert.equal((await api.importPolicy({ document: byOther, dryRun: true, verifyWith: other })).verifiedWith?.publicKey, otherKey);
  await refused(api, byOther, trusted, '$.signature', new RegExp(`^the signature of the policy document does not verify with the key in team\\.pub: it was signed with another key, or changed after signing \\(it names the signing key ${escape(otherKey)}, which proves nothing; the key file holds ${escape(trustedKey)}\\)$`));
  // The right file checked against the wrong key file.
  await refused(api, signed, other, '$.signature', /does not verify with the key in other\.pub: it was signed with another key/);
  // Signed by the other key while naming the trusted one: a claim the trusted key does not bear out.
  const posing = { ...byOther, signature: { ...(byOther.signature as object), publicKey: trustedKey } };
  await refused(api, posing, trusted, '$.signature', /does not verify with the key in team\.pub: the document was changed after it was signed/);
});

test('an unsigned file, or a malformed signature, is refused when a trusted key is given', async (t) => {
  const { api, signed, trusted } = await ground(t);
  const { signature: _dropped, ...unsigned } = signed;
  await refused(api, unsigned, trusted, '$.signature', /^the policy document is not signed, so it cannot be verified with the key in team\.pub$/);
  await refused(api, { ...signed, signature: { ...signed.signature, value: 'AAAA' } }, trusted, '$.signature', /^the signature of the policy document is invalid at \$\.signature\.value: the signature must encode 64 bytes$/);
  // 88 characters of base64 that decode to 65 bytes: refused by the schema, never handed to libsodium.
  await refused(api, { ...signed, signature: { ...signed.signature, value: `${'B'.repeat(87)}=` } }, trusted, '$.signature', /the signature must encode 64 bytes$/);
});

test('a malformed key file is refused, naming it and the place: not JSON, a secret key, a key of the wrong length', async (t) => {
  const { api, dir, signed } = await ground(t);
  const malformed = [
    { name: 'notes.txt', content: 'my key is in the drawer\n', message: /^the public key file notes\.txt is not valid JSON: / },
    { ...keyFile(join(dir, 'team.key'), 'team.key'), message: /^the public key file team\.key is invalid at \$\.type: not a Strata policy public key/ },
    { name: 'short.pub', content: '{"type":"strata-policy-verify-key","algorithm":"ed25519","publicKey":"AAAA"}', message: /^the public key file short\.pub is invalid at \$\.publicKey: an Ed25519 public key must encode 32 bytes$/ },
    { name: 'padded.pub', content: `{"type":"strata-policy-verify-key","algorithm":"ed25519","publicKey":"${'A'.repeat(42)}=="}`, message: /^the public key file padded\.pub is invalid at \$\.publicKey: an Ed25519 public key must encode 32 bytes$/ },
  ];
  for (const { message, ...key } of malformed) await refused(api, signed, key, '$.verifyWith', message);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
