// Policy files end to end, through the CLI and a real agent: an export imported on a fresh data dir
// gives an identical policy; every field made wrong in turn, broken JSON and whole-policy conflicts are
// refused with the JSON path and leave the store unchanged; signatures verify, and tampering is caught.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ImportPolicyResult, PolicyDocument } from '../../main/api/index.js';
import { fieldMutations, validDocument } from '../api/policy-samples.js';
import { spawnAgent, strata, strataJson, tempDir } from './agent-process.js';

/** The policy as exported, without the export time: what "identical" compares. */
function policyOf(dataDir: string): Omit<PolicyDocument, 'exportedAt'> {
  const file = join(dataDir, '..', `export-${Math.random().toString(16).slice(2)}.json`);
  const run = strata(['policy', 'export', file], dataDir);
  assert.equal(run.status, 0, run.stderr);
  const { exportedAt: _time, ...rest } = JSON.parse(readFileSync(file, 'utf8')) as PolicyDocument;
  return rest;
}

function eventCount(dataDir: string): number {
  return strataJson<{ events: unknown[] }>(['events', '--limit', '1000'], dataDir).events.length;
}

/** A data dir with a bit of everything: folders with scan and HSM, a tier, a signature set, media policy. */
function richPolicy(t: Parameters<typeof tempDir>[0], dataDir: string): { root: string } {
  const root = tempDir(t);
  for (const dir of ['docs', 'photos', 'cold', 'sigs']) mkdirSync(join(root, dir));
  writeFileSync(join(root, 'sigs', 'local.hdb'), '44d88612fea8a8f36de82e1278abb02f:68:Local.Test.Eicar\n');
  const ok = (args: string[]) => assert.equal(strata(args, dataDir).status, 0, args.join(' '));
  ok(['policy', 'set-tier', 'cold', join(root, 'cold')]);
  ok(['policy', 'set-signatures', 'local', join(root, 'sigs', 'local.hdb')]);
  ok(['policy', 'media', '--signatures', 'local', '--scan-action', 'block']);
  ok(['folder', 'add', join(root, 'docs'), '--name', 'Docs', '--scan', '--signatures', 'local', '--scan-action', 'report', '--no-scan-on-open']);
  ok(['folder', 'add', join(root, 'photos'), '--name', 'Photos', '--scan', '--tier', 'cold', '--min-age', '10', '--min-size', '4096', '--include', '*.raw', '*.jpg', '--exclude', 'tmp/**', '--every', '30', '--altitude', 'hsm=136000']);
  return { root };
}

describe('policy files', () => {
  it('export, then import on a fresh data dir through a running agent, gives an identical policy', async (t) => {
    const a = join(tempDir(t), 'a');
    richPolicy(t, a);
    const exported = join(tempDir(t), 'policy.json');
    assert.equal(strata(['policy', 'export', exported], a).status, 0);
    const text = readFileSync(exported, 'utf8');
    assert.doesNotMatch(text, /token|passphrase|secret|key"/i, 'no secrets in a policy file');

    const b = join(tempDir(t), 'b');
    const agent = await spawnAgent(t, b);
    const dry = strataJson<ImportPolicyResult>(['policy', 'import', exported, '--dry-run'], b);
    assert.equal(dry.applied, false);
    assert.deepEqual(dry.changes.filter((c) => c.what === 'folder').map((c) => [c.op, c.key]), JSON.parse(text).folders.map((f: { path: string }) => ['add', f.path]));
    assert.deepEqual(policyOf(b).folders, [], 'a dry run changes nothing');
    const human = strata(['policy', 'import', exported, '--dry-run'], b);
    assert.match(human.stdout, /^\+ folder .*docs$/m);
    assert.match(human.stdout, /^~ media media \$\.scan\.action: "quarantine" → "block"$/m);

    const applied = strataJson<ImportPolicyResult>(['policy', 'import', exported], b);
    assert.equal(applied.applied, true);
    assert.deepEqual(policyOf(b), policyOf(a));
    const folders = await agent.api.listFolders({});
    assert.deepEqual(folders.folders.map((f) => [f.name, f.runtime?.state]), [['Docs', 'running'], ['Photos', 'running']], 'the agent started protecting the imported folders');
    assert.deepEqual(strataJson<ImportPolicyResult>(['policy', 'import', exported], b).changes, [], 'importing it again changes nothing');
  });

  it('each field made wrong in turn, broken JSON and conflicts are refused with the JSON path; the store is unchanged', (t) => {
    const dataDir = join(tempDir(t), 'data');
    const { root } = richPolicy(t, dataDir);
    const before = policyOf(dataDir);
    const events = eventCount(dataDir);
    const file = join(root, 'incoming.json');
    const refused = (why: string, path: string | RegExp) => {
      const run = strata(['policy', 'import', file, '--replace'], dataDir);
      assert.equal(run.status, 1, `${why}: exit ${run.status} ${run.stdout}`);
      if (typeof path === 'string') assert.ok(run.stderr.includes(path), `${why}: expected ${path} in: ${run.stderr}`);
      else assert.match(run.stderr, path, why);
    };
    for (const mutation of fieldMutations()) {
      const doc = validDocument(root);
      mutation.mutate(doc);
      writeFileSync(file, JSON.stringify(doc, null, 2));
      refused(mutation.why, mutation.path);
    }
    const good = JSON.stringify(validDocument(root), null, 2);
    writeFileSync(file, good.slice(0, good.length / 2));
    refused('a truncated file', /is not valid JSON/);
    writeFileSync(file, '');
    refused('an empty file', /is not valid JSON/);
    writeFileSync(file, '[1, 2, 3]');
    refused('a list, not a document', /\$: /);
    const nested = validDocument(root);
    nested.folders[1]!.path = `${nested.folders[0]!.path}/inner`;
    writeFileSync(file, JSON.stringify(nested));
    refused('nested folders', '$.folders[1].path');
    const dataInside = validDocument(root);
    dataInside.folders[1]!.path = dataDir;
    writeFileSync(file, JSON.stringify(dataInside));
    refused("the data dir as a folder", '$.folders[1].path');
    assert.deepEqual(policyOf(dataDir), before, 'nothing was applied');
    assert.equal(eventCount(dataDir), events, 'no event was logged for a refused import');
  });

  it('a signed file verifies with its public key, even re-indented; a changed value, another key or no signature is refused', (t) => {
    const dataDir = join(tempDir(t), 'data');
    const { root } = richPolicy(t, dataDir);
    const keys = tempDir(t);
    const [secret, pub, otherSecret, otherPub] = ['k', 'k.pub', 'o', 'o.pub'].map((name) => join(keys, name));
    assert.equal(strata(['policy', 'keygen', secret!, pub!], dataDir).status, 0);
    assert.equal(strata(['policy', 'keygen', otherSecret!, otherPub!], dataDir).status, 0);
    const signed = join(root, 'signed.json');
    assert.equal(strata(['policy', 'export', signed, '--sign', secret!], dataDir).status, 0);
    const fresh = join(tempDir(t), 'fresh');
    const verify = (file: string, key: string) => strata(['policy', 'import', file, '--verify', key, '--dry-run'], fresh);
    const verified = verify(signed, pub!);
    assert.equal(verified.status, 0, verified.stderr);
    assert.match(verified.stdout, new RegExp(`^signature verified with the key in ${pub!.replace(/[.]/g, '\\.')}\n`));
    const doc = JSON.parse(readFileSync(signed, 'utf8')) as PolicyDocument;
    const reindented = join(root, 'reindented.json');
    writeFileSync(reindented, JSON.stringify({ signature: doc.signature, ...doc }));
    assert.equal(verify(reindented, pub!).status, 0, 'key order and whitespace do not matter');

    const tampered = join(root, 'tampered.json');
    writeFileSync(tampered, JSON.stringify({ ...doc, media: { ...doc.media, scan: { ...doc.media.scan, action: 'report' } } }, null, 2));
    const caught = verify(tampered, pub!);
    assert.equal(caught.status, 1);
    assert.match(caught.stderr, /^strata: the policy file .*tampered\.json: the signature of the policy document does not verify with the key in .*k\.pub: the document was changed after it was signed \(at \$\.signature\)\n$/);
    assert.match(verify(signed, otherPub!).stderr, /does not verify with the key in .*o\.pub: it was signed with another key/);
    const unsigned = join(root, 'unsigned.json');
    assert.equal(strata(['policy', 'export', unsigned], dataDir).status, 0);
    assert.match(verify(unsigned, pub!).stderr, /unsigned\.json: the policy document is not signed, so it cannot be verified with the key in .*k\.pub/);
    writeFileSync(join(keys, 'bad.pub'), '{"type":"strata-policy-verify-key","algorithm":"ed25519","publicKey":"AAAA"}');
    assert.match(verify(signed, join(keys, 'bad.pub')).stderr, /public key file .* is invalid at \$\.publicKey/);
    assert.deepEqual(policyOf(fresh).folders, [], 'nothing was imported by any of these');
  });
});
