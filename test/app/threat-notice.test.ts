// Desktop notifications: threats and failures get one, in words; routine events never do; a threat
// found and then quarantined is one notification, not two.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NoticeDeduper, noticeFor } from '../../app/threat-notice.js';
import type { EventRecord } from '../../main/api/index.js';

let nextId = 1;
function event(change: Partial<EventRecord>): EventRecord {
  return { id: nextId++, time: new Date().toISOString(), folderId: 'f1', folderName: 'Docs', path: 'inbox/invoice.pdf', action: 'scanned', result: 'ok', detail: null, ...change };
}

test('a quarantined file is an urgent notice naming the folder and the file, with status names in words', () => {
  const notice = noticeFor(event({ action: 'quarantined', result: 'infected', detail: 'Eicar-Test-Signature: STATUS_VIRUS_INFECTED' }));
  assert.deepEqual(notice, {
    title: 'Threat found in Docs',
    body: 'inbox/invoice.pdf (Eicar-Test-Signature: a virus was found in it). It was moved to quarantine.',
    urgent: true,
  });
  assert.match(noticeFor(event({ action: 'blocked', result: 'infected' }))!.body, /Access to it was refused/);
});

test('failures get a calm notice; routine events none', () => {
  assert.deepEqual(noticeFor(event({ action: 'migrated', result: 'failed', detail: 'STATUS_DISK_FULL' })), {
    title: 'Moved to cold storage failed in Docs', body: 'inbox/invoice.pdf (the disk is full)', urgent: false,
  });
  assert.equal(noticeFor(event({ action: 'error', result: 'failed', path: null, folderName: null }))!.title, 'Strata ran into a problem');
  for (const action of ['scanned', 'ingested', 'migrated', 'unlocked', 'folder-added'] as const) {
    assert.equal(noticeFor(event({ action, result: 'ok' })), null, action);
  }
});

test('the same file is notified once within the window, again after it, and other files at once', () => {
  const dedupe = new NoticeDeduper(10_000);
  const found = event({ action: 'threat-found', result: 'infected' });
  const quarantined = event({ action: 'quarantined', result: 'infected' });
  const other = event({ action: 'quarantined', result: 'infected', path: 'other.exe' });
  assert.equal(dedupe.admit(found, noticeFor(found)!, 0), true);
  assert.equal(dedupe.admit(quarantined, noticeFor(quarantined)!, 1000), false);
  assert.equal(dedupe.admit(other, noticeFor(other)!, 1000), true);
  assert.equal(dedupe.admit(quarantined, noticeFor(quarantined)!, 20_000), true);
});
