// The policy file's schema: a valid document passes; each field made wrong in turn is refused at its own
// JSON path; whole-policy rules (unique names and paths, no nesting, known references, distinct
// altitudes) are reported where they break.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PolicyDocument, problemsOf } from '../../main/api/index.js';
import { fieldMutations, validDocument } from './policy-samples.js';

describe('policy document', () => {
  it('a complete valid document passes and keeps every value', () => {
    const doc = validDocument();
    assert.deepEqual(PolicyDocument.parse(doc), doc);
  });

  it('a tier name of 63 characters, the most the HSM records, passes', () => {
    const doc = validDocument();
    const name = 'a'.repeat(63);
    doc.tiers[0]!.name = name;
    for (const folder of doc.folders) if (folder.policy.hsm) folder.policy.hsm.settings.tier = name;
    const parsed = PolicyDocument.safeParse(doc);
    assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
  });

  it('every field made wrong in turn is refused at its JSON path', () => {
    const mutations = fieldMutations();
    assert.ok(mutations.length >= 30, `only ${mutations.length} mutations`);
    for (const { path, mutate, why } of mutations) {
      const doc = validDocument();
      mutate(doc);
      const parsed = PolicyDocument.safeParse(doc);
      assert.equal(parsed.success, false, `${path} (${why}) was accepted`);
      const paths = problemsOf(parsed.error!).map((p) => p.path);
      assert.ok(paths.includes(path), `${why}: expected a problem at ${path}, got ${paths.join(', ')}`);
    }
  });

  it('whole-policy rules are reported at the item that breaks them', () => {
    const cases: Array<[string, (doc: ReturnType<typeof validDocument>) => void, string, RegExp]> = [
      ['duplicate name', (d) => (d.folders[1]!.name = d.folders[0]!.name.toUpperCase()), '$.folders[1].name', /used by two folders/],
      ['duplicate path', (d) => (d.folders[1]!.path = d.folders[0]!.path), '$.folders[1].path', /listed twice/],
      ['nested folders', (d) => (d.folders[1]!.path = `${d.folders[0]!.path}/inner`), '$.folders[1].path', /cannot nest/],
      ['unknown tier', (d) => (d.folders[0]!.policy.hsm!.settings.tier = 'warm'), '$.folders[0].policy.hsm.settings.tier', /no tier named 'warm'/],
      ['unknown signature set', (d) => (d.folders[0]!.policy.scan!.settings.signatureSet = 'other'), '$.folders[0].policy.scan.settings.signatureSet', /no signature set/],
      ['media refers to an unknown set', (d) => (d.media.scan.signatureSet = 'other'), '$.media.scan.signatureSet', /no signature set/],
      ['shared altitude', (d) => (d.folders[0]!.policy.hsm!.altitude = '325000.0'), '$.folders[0].policy.hsm.altitude', /cannot share altitude/],
      ['duplicate tier', (d) => d.tiers.push({ ...d.tiers[0]! }), '$.tiers[1].name', /defined twice/],
    ];
    for (const [why, mutate, path, message] of cases) {
      const doc = validDocument();
      mutate(doc);
      const parsed = PolicyDocument.safeParse(doc);
      assert.equal(parsed.success, false, `${why} was accepted`);
      const problem = problemsOf(parsed.error!).find((p) => p.path === path);
      assert.ok(problem !== undefined && message.test(problem.message), `${why}: ${JSON.stringify(problemsOf(parsed.error!))}`);
    }
  });
});
