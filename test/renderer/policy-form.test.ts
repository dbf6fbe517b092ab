// The folder policy form: defaults from the API schemas, a stored policy round-trips through the form,
// a protection switched off is kept disabled (the API replaces the whole policy), bad numbers are
// reported at the agent's JSON paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FolderPolicy, FolderPolicyInput } from '../../main/api/index.js';
import { newPolicyForm, policyForm, policyFromForm } from '../../renderer/src/state/policy-form.js';

const STORED = FolderPolicy.parse({
  crypt: { enabled: true, altitude: '141000', settings: { vault: 'home', autoLockMinutes: 5 } },
  scan: { enabled: true, altitude: '325000', settings: { signatureSet: 'builtin', scanOnOpen: false, action: 'block' } },
  hsm: { enabled: true, altitude: '185000', settings: { tier: 'nas', minAgeDays: 7, minSizeBytes: 3 * 1024 * 1024, include: ['**/*.iso'], exclude: ['tmp/**'], everyMinutes: 30 } },
});

test('a new form asks for nothing and has the API defaults', () => {
  const form = newPolicyForm();
  assert.equal(form.crypt.enabled || form.scan.enabled || form.hsm.enabled, false);
  assert.deepEqual(policyFromForm(form), { ok: true, policy: {} });
  assert.equal(form.crypt.autoLockMinutes, '15');
  assert.equal(form.scan.action, 'quarantine');
  assert.equal(form.hsm.minSizeMiB, '1');
  assert.equal(form.hsm.include, '**');
});

test('a stored policy comes back unchanged through the form, altitudes included', () => {
  const built = policyFromForm(policyForm(STORED), STORED);
  assert.equal(built.ok, true);
  assert.deepEqual(FolderPolicyInput.parse(built.ok ? built.policy : null), FolderPolicyInput.parse(STORED));
});

test('switching a protection off keeps it, disabled, with its settings; one never chosen is left out', () => {
  const form = policyForm(STORED);
  form.scan.enabled = false;
  const built = policyFromForm(form, STORED);
  assert.ok(built.ok);
  assert.deepEqual(built.policy.scan, { enabled: false, altitude: '325000', settings: STORED.scan!.settings });
  const fresh = newPolicyForm();
  fresh.scan.enabled = true;
  const only = policyFromForm(fresh);
  assert.ok(only.ok);
  assert.deepEqual(Object.keys(only.policy), ['scan']);
});

test('numbers that are not numbers are reported at the JSON paths the agent uses', () => {
  const form = policyForm(STORED);
  form.crypt.autoLockMinutes = 'soon';
  form.hsm.minSizeMiB = '';
  form.hsm.everyMinutes = '1e';
  const built = policyFromForm(form, STORED);
  assert.equal(built.ok, false);
  assert.deepEqual(!built.ok && built.problems.map((p) => p.path), [
    '$.policy.crypt.settings.autoLockMinutes', '$.policy.hsm.settings.minSizeBytes', '$.policy.hsm.settings.everyMinutes',
  ]);
});

test('pattern lists are one per line, blank lines and spaces ignored; sizes in MiB become bytes', () => {
  const form = newPolicyForm();
  form.hsm = { ...form.hsm, enabled: true, tier: ' nas ', include: '  **/*.iso\n\n*.raw  \n', exclude: '', minSizeMiB: '0.5' };
  const built = policyFromForm(form);
  assert.ok(built.ok);
  assert.deepEqual(built.policy.hsm?.settings.include, ['**/*.iso', '*.raw']);
  assert.deepEqual(built.policy.hsm?.settings.exclude, []);
  assert.equal(built.policy.hsm?.settings.minSizeBytes, 512 * 1024);
  assert.equal(built.policy.hsm?.settings.tier, 'nas');
});
