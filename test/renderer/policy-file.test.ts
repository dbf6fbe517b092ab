// Policy files in the GUI: a syntax error names the file, line and column; a hostile nesting is refused; the export gets a dated name;
// each diff line of an import preview reads as words with the field's name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeChange, exportFileName, parsePolicyFile } from '../../renderer/src/state/policy-file.js';

test('a file that is not JSON is refused with its name, line and column', () => {
  const parsed = parsePolicyFile('{\n  "format": "strata-policy",\n  "version": 1,,\n}', 'mine.json');
  assert.equal(parsed.ok, false);
  assert.match(!parsed.ok ? parsed.message : '', /^mine\.json is not valid JSON at line 3, column \d+: /);
  const empty = parsePolicyFile('', 'empty.json');
  assert.match(!empty.ok ? empty.message : '', /empty\.json is not valid JSON/);
  assert.deepEqual(parsePolicyFile('{"a":1}', 'ok.json'), { ok: true, document: { a: 1 } });
});

test('a file nested deeper than any policy document is refused with its name and the place', () => {
  const deep = `{"junk":${'['.repeat(5000)}${']'.repeat(5000)}}`;
  const parsed = parsePolicyFile(deep, 'deep.json');
  assert.equal(parsed.ok, false);
  assert.match(!parsed.ok ? parsed.message : '', /^deep\.json is not a policy file: nested deeper than 32 at \$\.junk(\[0\])+$/);
});

test('the export file is named by its date', () => {
  assert.equal(exportFileName(new Date('2026-03-04T23:59:00Z')), 'strata-policy-2026-03-04.json');
});

test('diff lines read as words: what changes, which setting, before and after', () => {
  assert.deepEqual(describeChange({ op: 'add', what: 'folder', key: '/home/me/Docs', field: null, before: null, after: { name: 'Docs' } }), {
    summary: 'Add folder /home/me/Docs', field: null, before: '—', after: '{"name":"Docs"}',
  });
  assert.equal(describeChange({ op: 'add', what: 'folder', key: '/d', field: null, before: null, after: { name: 'Docs', path: '/d', policy: { scan: { enabled: true }, hsm: { enabled: false } } } }).after, 'Docs: virus scanning');
  assert.equal(describeChange({ op: 'add', what: 'folder', key: '/d', field: null, before: null, after: { name: 'Docs', path: '/d', policy: {} } }).after, 'Docs: no protection');
  assert.deepEqual(describeChange({ op: 'change', what: 'tier', key: 'nas', field: '$.path', before: '/a', after: '/b' }), {
    summary: 'Change cold tier nas', field: 'Folder for cold copies', before: '/a', after: '/b',
  });
  assert.equal(describeChange({ op: 'remove', what: 'signature-set', key: 's', field: null, before: { name: 's', paths: ['/x.hdb', '/y.ndb'] }, after: null }).before, '/x.hdb, /y.ndb');
  assert.deepEqual(describeChange({ op: 'change', what: 'folder', key: '/home/me/Docs', field: '$.policy.scan.settings.action', before: 'quarantine', after: 'block' }), {
    summary: 'Change folder /home/me/Docs', field: 'Scanning: action on a threat', before: 'quarantine', after: 'block',
  });
  const media = describeChange({ op: 'change', what: 'media', key: 'media', field: '$.scanOnMount', before: true, after: false });
  assert.deepEqual([media.summary, media.field, media.before, media.after], ['Change removable media policy', 'Scan removable media when plugged in', 'on', 'off']);
  assert.equal(describeChange({ op: 'change', what: 'media', key: 'media', field: '$.scan.action', before: 'report', after: 'block' }).field, 'Removable media: action on a threat');
  assert.equal(describeChange({ op: 'remove', what: 'signature-set', key: 'clamav', field: null, before: {}, after: null }).summary, 'Remove signature set clamav');
  assert.ok(describeChange({ op: 'add', what: 'tier', key: 't', field: null, before: null, after: { path: 'x'.repeat(500) } }).after.length <= 300);
});
