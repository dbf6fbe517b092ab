// Transparency: file information and listings report plaintext sizes and mark encrypted files (completion
// post-processing); the vault's own files are hidden and closed to Strata; rename and delete work.

import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { CHUNK_SIZE } from '../../../main/age/index.js';
import {
  FILE_ATTRIBUTE_ENCRYPTED, FILE_DIRECTORY_FILE, FILE_OPEN, FileInformationClass, STATUS_ACCESS_DENIED,
  type FileDirectoryInformation, type FileNetworkOpenInformation, statusName,
} from '../../../main/io/index.js';
import { bytes, openCryptRig, type CryptRig } from './crypt-rig.js';

let rig: CryptRig;
afterEach(() => rig?.close());

async function list(dir = ''): Promise<FileDirectoryInformation[]> {
  const result = await rig.stack.api.createFile(rig.stack.pathOf(dir), { disposition: FILE_OPEN, options: FILE_DIRECTORY_FILE });
  const listing = await rig.stack.api.queryDirectory(result.handle!);
  await rig.stack.api.close(result.handle!);
  return listing.info ?? [];
}

describe('crypt filter: transparency', () => {
  it('query-information reports the plaintext size and FILE_ATTRIBUTE_ENCRYPTED', async () => {
    rig = await openCryptRig();
    await rig.put('a.bin', bytes(2 * CHUNK_SIZE + 5));
    assert.ok((await rig.onDisk('a.bin')).length > 2 * CHUNK_SIZE + 5 + 32, 'the ciphertext is larger');
    const handle = await rig.open('a.bin', FILE_OPEN);
    const standard = await rig.stack.api.queryInformation(handle, FileInformationClass.FileStandardInformation);
    assert.equal(standard.info!.endOfFile, 2 * CHUNK_SIZE + 5);
    const open = await rig.stack.api.queryInformation(handle, FileInformationClass.FileNetworkOpenInformation);
    assert.equal((open.info as FileNetworkOpenInformation).endOfFile, 2 * CHUNK_SIZE + 5);
    assert.ok(((open.info as FileNetworkOpenInformation).fileAttributes & FILE_ATTRIBUTE_ENCRYPTED) !== 0);
    await rig.stack.api.close(handle);
  });

  it('listings report plaintext sizes, mark encrypted files, list dropped-in plain files as not encrypted, and hide the vault', async () => {
    rig = await openCryptRig();
    await mkdir(join(rig.folder, '.strata-vault'));
    await writeFile(join(rig.folder, '.strata-vault', 'vault.json'), '{}');
    await rig.put('secret.txt', bytes(1000));
    await writeFile(join(rig.folder, 'plain.txt'), 'not encrypted');
    await mkdir(join(rig.folder, 'sub'));
    await rig.put('sub/inner.bin', bytes(CHUNK_SIZE + 1));
    const root = await list();
    assert.deepEqual(root.map((entry) => entry.fileName).sort(), ['plain.txt', 'secret.txt', 'sub']);
    const secret = root.find((entry) => entry.fileName === 'secret.txt')!;
    assert.equal(secret.endOfFile, 1000);
    assert.ok((secret.fileAttributes & FILE_ATTRIBUTE_ENCRYPTED) !== 0);
    const plain = root.find((entry) => entry.fileName === 'plain.txt')!;
    assert.equal(plain.endOfFile, 13);
    assert.equal(plain.fileAttributes & FILE_ATTRIBUTE_ENCRYPTED, 0);
    const sub = await list('sub');
    assert.equal(sub[0]!.endOfFile, CHUNK_SIZE + 1);
  });

  it('a plain file whose text merely starts like an age file reads as it is; a damaged one with the age intro line does not', async () => {
    rig = await openCryptRig();
    const note = 'age-encryption.org/ is where the format is described.\n';
    await writeFile(join(rig.folder, 'note.txt'), note);
    assert.equal(new TextDecoder().decode(await rig.get('note.txt')), note);
    const listed = (await list()).find((entry) => entry.fileName === 'note.txt')!;
    assert.equal(listed.endOfFile, note.length);
    assert.equal(listed.fileAttributes & FILE_ATTRIBUTE_ENCRYPTED, 0, 'listed as not encrypted');
    await writeFile(join(rig.folder, 'damaged.age'), 'age-encryption.org/v1\n-> nonsense\n');
    assert.equal(statusName(await rig.readStatus('damaged.age')), 'STATUS_FILE_CORRUPT_ERROR');
    await writeFile(join(rig.folder, 'later.age'), 'age-encryption.org/v2\n-> X25519 abc\n--- xyz\n');
    assert.equal(statusName(await rig.readStatus('later.age')), 'STATUS_FILE_CORRUPT_ERROR', 'another version of the format is not read as plain bytes');
  });

  it('the vault folder is closed to opens and renames through Strata', async () => {
    rig = await openCryptRig();
    await mkdir(join(rig.folder, '.strata-vault'));
    await writeFile(join(rig.folder, '.strata-vault', 'identity.age'), 'x');
    const opened = await rig.stack.api.createFile(rig.stack.pathOf('.strata-vault/identity.age'), { disposition: FILE_OPEN });
    assert.equal(opened.status, STATUS_ACCESS_DENIED);
    const upper = await rig.stack.api.createFile(rig.stack.pathOf('.STRATA-VAULT/new.txt'), { disposition: 3 });
    assert.equal(upper.status, STATUS_ACCESS_DENIED);
    await rig.put('mine.txt', bytes(10));
    const handle = await rig.open('mine.txt', FILE_OPEN);
    const renamed = await rig.stack.api.setInformation(handle, FileInformationClass.FileRenameInformation, { fileName: '\\.strata-vault\\identity.age', replaceIfExists: true });
    assert.equal(renamed.status, STATUS_ACCESS_DENIED);
    await rig.stack.api.close(handle);
    // A link planted in the folder leads no open into the vault: the open is reparsed to the vault's name.
    await symlink('.strata-vault/identity.age', join(rig.folder, 'key-alias'));
    await symlink('.strata-vault', join(rig.folder, 'vault-alias'));
    for (const through of ['key-alias', 'vault-alias/identity.age']) {
      const linked = await rig.stack.api.createFile(rig.stack.pathOf(through), { disposition: FILE_OPEN });
      assert.equal(statusName(linked.status), 'STATUS_ACCESS_DENIED', `${through} is refused`);
    }
    const planted = await rig.stack.api.createFile(rig.stack.pathOf('vault-alias/planted.txt'), { disposition: 3 });
    assert.equal(statusName(planted.status), 'STATUS_ACCESS_DENIED', 'nothing is created in the vault through a link');
    // Nor is a file renamed over the vault's identity through the link: the target's folder is opened
    // first, as NT's I/O manager does, so the filter sees the name the target really has.
    const mover = await rig.open('mine.txt', FILE_OPEN);
    const through = await rig.stack.api.setInformation(mover, FileInformationClass.FileRenameInformation, { fileName: '\\vault-alias\\identity.age', replaceIfExists: true });
    assert.equal(statusName(through.status), 'STATUS_ACCESS_DENIED', 'no rename into the vault through a link');
    await rig.stack.api.close(mover);
    assert.equal(await readFile(join(rig.folder, '.strata-vault', 'identity.age'), 'utf8'), 'x', 'the identity is untouched');
  });

  it('rename and delete of encrypted files work, including a rename while modified', async () => {
    rig = await openCryptRig();
    await rig.put('old.txt', bytes(500, 2));
    const handle = await rig.open('old.txt', FILE_OPEN);
    await rig.stack.api.write(handle, new Uint8Array([1, 2, 3]), 0);
    const renamed = await rig.stack.api.setInformation(handle, FileInformationClass.FileRenameInformation, { fileName: '\\new.txt', replaceIfExists: false });
    assert.equal(statusName(renamed.status), 'STATUS_SUCCESS');
    assert.equal(statusName((await rig.stack.api.close(handle)).status), 'STATUS_SUCCESS');
    const expected = bytes(500, 2);
    expected.set([1, 2, 3], 0);
    assert.deepEqual(await rig.get('new.txt'), expected);
    const doomed = await rig.open('new.txt', FILE_OPEN);
    await rig.stack.api.write(doomed, new Uint8Array([9]), 0);
    await rig.stack.api.setInformation(doomed, FileInformationClass.FileDispositionInformation, { deleteFile: true });
    assert.equal(statusName((await rig.stack.api.close(doomed)).status), 'STATUS_SUCCESS');
    assert.deepEqual((await readdir(rig.folder)).sort(), [], 'deleted, and no temporary file left behind');
  });
});
