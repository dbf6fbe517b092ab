// Symbolic links in an encrypted folder: encrypt in place and the leftover-temp sweep at attach neither
// descend into links nor act on them, so a link back to a parent cannot make them endless (or fail them
// at the host's link limit), each file is encrypted once, and a link is never replaced by a copy.

import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { decrypt } from '../../../main/age/index.js';
import { encryptInPlace } from '../../../filters/crypt/encrypt-in-place.js';
import { bytes, openCryptRig, type CryptRig } from './crypt-rig.js';

let rig: CryptRig | undefined;
let folder: string | undefined;
afterEach(async () => {
  await rig?.close();
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  rig = folder = undefined;
});

/** a/file.bin and b.bin, with a link back to the parent in a/. */
async function loopedFolder(): Promise<string> {
  folder = await mkdtemp(join(tmpdir(), 'strata-crypt-links-'));
  await mkdir(join(folder, 'a'));
  await writeFile(join(folder, 'a', 'file.bin'), bytes(5000, 1));
  await writeFile(join(folder, 'b.bin'), bytes(7000, 2));
  await symlink('..', join(folder, 'a', 'up'));
  return folder;
}

describe('crypt filter: links', () => {
  it('encrypt in place goes through link loops, encrypts each file once and leaves links links', async () => {
    const root = await loopedFolder();
    await symlink('b.bin', join(root, 'b-alias'));
    rig = await openCryptRig({ folder: root });
    const report = await encryptInPlace(await rig.volume());
    assert.deepEqual(report.failed, []);
    assert.deepEqual(report.encrypted.sort(), ['\\a\\file.bin', '\\b.bin']);
    for (const link of ['a/up', 'b-alias']) assert.ok((await lstat(join(root, link))).isSymbolicLink(), `${link} is still a link`);
    assert.deepEqual(decrypt(rig.sodium, new Uint8Array(await readFile(join(root, 'b.bin'))), [rig.identity]), bytes(7000, 2));
    assert.deepEqual(await rig.get('b-alias'), bytes(7000, 2), 'the link still reads its target, in plaintext');
  });

  it('the sweep of leftover temporary files at attach goes through a link loop and fails nowhere', async () => {
    const root = await loopedFolder();
    rig = await openCryptRig({ folder: root });
    const sweep = await (await rig.volume()).tempSweep;
    assert.deepEqual(sweep.failed, []);
    assert.equal(sweep.stopped, false);
  });
});
