// The trust gate above the crypt filter (filters/crypt/vault/trust-gate.ts), on a real folder stack with the
// verifier on: while a vault is not trusted, nothing that would make the crypt filter encrypt gets through
// (writes, size changes, creating or replacing a file: STATUS_FILE_ENCRYPTED), while opening, reading,
// listing and making folders still work; unregistered, the folder encrypts again.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  FILE_CREATE, FILE_DIRECTORY_FILE, FILE_OPEN, FILE_OPEN_IF, FILE_OVERWRITE, FILE_OVERWRITE_IF, FILE_SUPERSEDE, FileInformationClass,
  statusName,
} from '../../../main/io/index.js';
import { altitudeJustAbove, registerTrustGate } from '../../../filters/crypt/vault/trust-gate.js';
import { CRYPT_ALTITUDE } from '../../../filters/crypt/index.js';
import { bytes, openCryptRig } from './crypt-rig.js';

const AGE = 'age-encryption.org/v1';

test('an altitude just above another sits between it and the next whole or decimal step', () => {
  assert.equal(altitudeJustAbove('141000'), '141000.5');
  assert.equal(altitudeJustAbove('141000.5'), '141000.55');
  assert.equal(altitudeJustAbove('0141000.50'), '141000.55');
});

test('while the gate stands nothing is encrypted: writes, size changes, creates and replaces fail with STATUS_FILE_ENCRYPTED; reads and folders work', async (t) => {
  const rig = await openCryptRig({ locked: true });
  t.after(() => rig.close());
  writeFileSync(join(rig.folder, 'plain.txt'), 'the user plaintext');
  const gate = registerTrustGate(rig.stack.manager, CRYPT_ALTITUDE);
  const create = (path: string, disposition: number, options = 0) => rig.stack.api.createFile(rig.stack.pathOf(path), { disposition, options });

  for (const disposition of [FILE_CREATE, FILE_OPEN_IF, FILE_SUPERSEDE, FILE_OVERWRITE_IF]) {
    const refused = await create('new.txt', disposition);
    assert.equal(statusName(refused.status), 'STATUS_FILE_ENCRYPTED', `creating with disposition ${disposition}`);
  }
  for (const disposition of [FILE_OVERWRITE, FILE_SUPERSEDE, FILE_OVERWRITE_IF]) {
    assert.equal(statusName((await create('plain.txt', disposition)).status), 'STATUS_FILE_ENCRYPTED', `replacing with disposition ${disposition}`);
  }
  assert.equal(existsSync(join(rig.folder, 'new.txt')), false, 'no file was created');

  for (const disposition of [FILE_OPEN, FILE_OPEN_IF]) {
    const opened = await create('plain.txt', disposition);
    assert.equal(statusName(opened.status), 'STATUS_SUCCESS');
    const written = await rig.stack.api.write(opened.handle!, new TextEncoder().encode('more'), 0);
    assert.equal(statusName(written.status), 'STATUS_FILE_ENCRYPTED');
    const truncated = await rig.stack.api.setInformation(opened.handle!, FileInformationClass.FileEndOfFileInformation, { endOfFile: 3 });
    assert.equal(statusName(truncated.status), 'STATUS_FILE_ENCRYPTED');
    const read = await rig.stack.api.read(opened.handle!, 100, 0);
    assert.equal(new TextDecoder().decode(read.data), 'the user plaintext');
    assert.equal(statusName((await rig.stack.api.close(opened.handle!)).status), 'STATUS_SUCCESS');
  }
  assert.equal((await rig.onDisk('plain.txt')).toString(), new TextEncoder().encode('the user plaintext').toString(), 'still the plaintext, never encrypted');

  const folder = await create('sub', FILE_CREATE, FILE_DIRECTORY_FILE);
  assert.equal(statusName(folder.status), 'STATUS_SUCCESS', 'folders are made');
  await rig.stack.api.close(folder.handle!);

  await gate.unregister();
  await rig.put('new.txt', bytes(1000, 3));
  assert.equal(Buffer.from((await rig.onDisk('new.txt')).subarray(0, AGE.length)).toString(), AGE, 'once the gate is gone the folder encrypts again');
  assert.deepEqual(readdirSync(rig.folder).sort(), ['new.txt', 'plain.txt', 'sub']);
});
