// Encrypt in place meets what is no plain file: named pipes (and a socket) are left exactly as they are,
// never opened for reading (a read of a pipe would wait for a writer for ever), and a listing through the
// crypt filter, which probes each file, does not wait on them either. A file with another name (a hard
// link, here outside the folder) is encrypted and reported as linked: the other name keeps the plaintext.

import assert from 'node:assert/strict';
import { link, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decrypt } from '../../../main/age/index.js';
import {
  FILE_ATTRIBUTE_REPARSE_POINT, FILE_DIRECTORY_FILE, FILE_OPEN, FileInformationClass, NT_SUCCESS, STATUS_NO_MORE_FILES,
  type FileDirectoryInformation, type FileStandardInformation,
} from '../../../main/io/index.js';
import { encryptInPlace } from '../../../filters/crypt/encrypt-in-place.js';
import { isFifo, isSocket, listenSocket, makeFifo } from '../../volumes/host-special-files.js';
import { openCryptRig, type CryptRig } from './crypt-rig.js';

async function listThroughStack(rig: CryptRig, directory: string): Promise<Map<string, FileDirectoryInformation>> {
  const opened = await rig.stack.api.createFile(rig.stack.pathOf(directory), { disposition: FILE_OPEN, options: FILE_DIRECTORY_FILE });
  assert.ok(NT_SUCCESS(opened.status), `open ${directory}`);
  const entries = new Map<string, FileDirectoryInformation>();
  try {
    for (let restart = true; ; restart = false) {
      const listed = await rig.stack.api.queryDirectory(opened.handle!, null, restart);
      if (listed.status === STATUS_NO_MORE_FILES) break;
      assert.ok(NT_SUCCESS(listed.status), `list ${directory}`);
      for (const entry of listed.info ?? []) entries.set(entry.fileName, entry);
    }
  } finally {
    await rig.stack.api.close(opened.handle!);
  }
  return entries;
}

async function linksThroughStack(rig: CryptRig, path: string): Promise<number> {
  const handle = await rig.open(path, FILE_OPEN);
  try {
    const result = await rig.stack.api.queryInformation(handle, FileInformationClass.FileStandardInformation);
    assert.ok(NT_SUCCESS(result.status), `query ${path}`);
    return (result.info as FileStandardInformation).numberOfLinks;
  } finally {
    await rig.stack.api.close(handle);
  }
}

describe('encrypt in place and entries that are no plain file', () => {
  it('leaves named pipes and sockets as they are, lists them without waiting, and reports a hard-linked file', async () => {
    const root = await mkdtemp(join(tmpdir(), 'strata-eip-special-'));
    const folder = join(root, 'protected');
    await mkdir(join(folder, 'sub'), { recursive: true });
    await writeFile(join(folder, 'a.txt'), 'secret with two names');
    await link(join(folder, 'a.txt'), join(root, 'outside.txt'));
    await writeFile(join(folder, 'b.txt'), 'one name only');
    makeFifo(join(folder, 'pipe'));
    makeFifo(join(folder, 'sub', 'pipe'));
    const closeSocket = await listenSocket(join(folder, 'sock'));
    const rig = await openCryptRig({ folder });
    try {
      const listed = await listThroughStack(rig, '');
      assert.ok((listed.get('pipe')!.fileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) !== 0, 'the pipe is listed as a reparse point');
      assert.equal(await linksThroughStack(rig, 'a.txt'), 2, 'numberOfLinks through the stack');
      assert.equal(await linksThroughStack(rig, 'b.txt'), 1);

      const report = await encryptInPlace(await rig.volume());
      assert.deepEqual(report.failed, []);
      assert.deepEqual([...report.encrypted].sort(), ['\\a.txt', '\\b.txt']);
      assert.deepEqual(report.linked, ['\\a.txt']);
      assert.ok(isFifo(join(folder, 'pipe')) && isFifo(join(folder, 'sub', 'pipe')), 'the pipes are still pipes');
      assert.ok(isSocket(join(folder, 'sock')), 'the socket is still a socket');
      const onDisk = new Uint8Array(await readFile(join(folder, 'a.txt')));
      assert.equal(new TextDecoder().decode(decrypt(rig.sodium, onDisk, [rig.identity])), 'secret with two names');
      assert.equal(await readFile(join(root, 'outside.txt'), 'utf8'), 'secret with two names', 'the other name keeps the plaintext, as reported');
      assert.equal(await linksThroughStack(rig, 'a.txt'), 1, 'the encrypted file is a new file of one name');
    } finally {
      await rig.close();
      await closeSocket();
      await rm(root, { recursive: true, force: true });
    }
  });
});
