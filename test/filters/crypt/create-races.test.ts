// The create path when the filter's own work on a first open fails or races another open. A first open the
// filter cannot attach its stream context to must fail (let through, it reads the ciphertext and a write lands
// in the age header) and leave nothing open below; an overwriting open that joins a stream another open has
// just attached must still start it empty. Failures and interleavings are injected on the live Below object
// of the rig (one call each); everything else is the real stack on real files.

import assert from 'node:assert/strict';
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import {
  FILE_OPEN, FILE_OPEN_NO_RECALL, FILE_OVERWRITE_IF, FILE_OVERWRITTEN, FileInformationClass, NtStatusError,
  STATUS_DEVICE_NOT_READY, STATUS_END_OF_FILE, STATUS_INSUFFICIENT_RESOURCES, statusName, type CreateResult, type FileHandle,
  type NTSTATUS,
} from '../../../main/io/index.js';
import type { Below } from '../../../filters/crypt/below.js';
import { bytes, openCryptRig, type CryptRig } from './crypt-rig.js';

let rig: CryptRig;
afterEach(() => rig?.close());

type TryOpen = Below['tryOpen'];

/** Routes the filter's own opens below through `wrap`, which gets the real tryOpen to call on. */
async function interceptTryOpen(wrap: (real: TryOpen, name: string, options: number) => ReturnType<TryOpen>): Promise<void> {
  const below = (await rig.volume()).below;
  const real: TryOpen = below.tryOpen.bind(below);
  below.tryOpen = (name, options = 0) => wrap(real, name, options);
}

/** The filter's next open below of `name` with exactly `options` fails with `status` (as EMFILE would). */
async function failNextOpenBelow(name: string, options: number, status: NTSTATUS): Promise<void> {
  let armed = true;
  await interceptTryOpen(async (real, opened, given) => {
    if (armed && opened === name && given === options) {
      armed = false;
      return { handle: null, status };
    }
    return real(opened, given);
  });
}

/** The user's open of an existing file, expected to fail with `status`. */
async function assertOpenFails(path: string, status: NTSTATUS): Promise<void> {
  const result = await rig.stack.api.createFile(rig.stack.pathOf(path), { disposition: FILE_OPEN });
  assert.equal(statusName(result.status), statusName(status), 'the open fails with the status of the filter\'s failure');
  assert.equal(result.handle, null);
}

/**
 * The failed open left nothing open below and the file intact: it still reads as its plaintext, and a delete
 * through Strata removes it from the disk (an open the file system still counted would keep it, delete-pending).
 */
async function assertNothingLeftOpen(path: string, plaintext: Uint8Array, ciphertext: Uint8Array): Promise<void> {
  assert.deepEqual(await rig.onDisk(path), ciphertext, 'the file on disk is untouched');
  assert.deepEqual(await rig.get(path), plaintext);
  const handle = await rig.open(path, FILE_OPEN);
  const deleting = await rig.stack.api.setInformation(handle, FileInformationClass.FileDispositionInformation, { deleteFile: true });
  assert.equal(statusName(deleting.status), 'STATUS_SUCCESS');
  assert.equal(statusName((await rig.stack.api.close(handle)).status), 'STATUS_SUCCESS');
  await assert.rejects(access(join(rig.folder, path)), { code: 'ENOENT' }, 'the delete took: no open of the file was left behind');
}

async function putEncrypted(path: string, size: number): Promise<{ plaintext: Uint8Array; ciphertext: Uint8Array }> {
  const plaintext = bytes(size, 7);
  await rig.put(path, plaintext);
  return { plaintext, ciphertext: await rig.onDisk(path) };
}

describe('crypt filter: the filter cannot attach to a first open', () => {
  it('its own open of the file below fails: the user\'s open fails with that status, nothing stays open', async () => {
    rig = await openCryptRig();
    const { plaintext, ciphertext } = await putEncrypted('a.bin', 200_000);
    await failNextOpenBelow('\\a.bin', 0, STATUS_INSUFFICIENT_RESOURCES);
    await assertOpenFails('a.bin', STATUS_INSUFFICIENT_RESOURCES);
    await assertNothingLeftOpen('a.bin', plaintext, ciphertext);
  });

  it('the probe\'s no-recall open fails: the user\'s open fails with that status, the data handle is closed', async () => {
    rig = await openCryptRig();
    const { plaintext, ciphertext } = await putEncrypted('a.bin', 200_000);
    await failNextOpenBelow('\\a.bin', FILE_OPEN_NO_RECALL, STATUS_INSUFFICIENT_RESOURCES);
    await assertOpenFails('a.bin', STATUS_INSUFFICIENT_RESOURCES);
    await assertNothingLeftOpen('a.bin', plaintext, ciphertext);
  });

  it('reading the header fails: the user\'s open fails with the read\'s status, both handles are closed', async () => {
    rig = await openCryptRig();
    const { plaintext, ciphertext } = await putEncrypted('a.bin', 200_000);
    const below = (await rig.volume()).below;
    const readAt = below.readAt.bind(below);
    let armed = true;
    below.readAt = async (handle: FileHandle, offset: number, length: number) => {
      if (!armed) return readAt(handle, offset, length);
      armed = false;
      throw new NtStatusError(STATUS_DEVICE_NOT_READY, 'read');
    };
    await assertOpenFails('a.bin', STATUS_DEVICE_NOT_READY);
    await assertNothingLeftOpen('a.bin', plaintext, ciphertext);
  });

  // A guard rather than a regression test (it passes before the fix too): the filter's own open of a
  // directory fails as well, and that open must still go through, unfiltered.
  it('a directory opened without FILE_DIRECTORY_FILE still opens and lists', async () => {
    rig = await openCryptRig();
    await mkdir(join(rig.folder, 'sub'));
    await rig.put('sub/inner.bin', bytes(1000));
    const result = await rig.stack.api.createFile(rig.stack.pathOf('sub'), { disposition: FILE_OPEN });
    assert.equal(statusName(result.status), 'STATUS_SUCCESS');
    const listing = await rig.stack.api.queryDirectory(result.handle!);
    assert.deepEqual(listing.info!.map((entry) => [entry.fileName, entry.endOfFile]), [['inner.bin', 1000]]);
    assert.equal(statusName((await rig.stack.api.close(result.handle!)).status), 'STATUS_SUCCESS');
  });
});

describe('crypt filter: first opens of one file racing', () => {
  it('an overwriting open that joins the stream another open just attached sees it empty and saves only its own data', async () => {
    rig = await openCryptRig();
    const old = bytes(300_000, 1);
    await rig.put('a.bin', old);
    // Both opens get past the "no stream context yet" check; the plain open attaches first, then the overwrite's
    // own open below returns and finds the context taken (a slow disk or a busy HSM layer below does this).
    let plainOpenedBelow!: () => void;
    const plainAtBelow = new Promise<void>((resolve) => (plainOpenedBelow = resolve));
    let overwriteOpenedBelow!: () => void;
    const overwriteAtBelow = new Promise<void>((resolve) => (overwriteOpenedBelow = resolve));
    let dataOpens = 0;
    let plainOpen: Promise<CreateResult> | undefined;
    await interceptTryOpen(async (real, name, options) => {
      if (name === '\\a.bin' && options === 0) {
        if (++dataOpens === 1) {
          plainOpenedBelow();
          await overwriteAtBelow;
        } else if (dataOpens === 2) {
          overwriteOpenedBelow();
          await plainOpen;
        }
      }
      return real(name, options);
    });
    plainOpen = rig.stack.api.createFile(rig.stack.pathOf('a.bin'), { disposition: FILE_OPEN });
    await plainAtBelow;
    const overwrite = await rig.stack.api.createFile(rig.stack.pathOf('a.bin'), { disposition: FILE_OVERWRITE_IF });
    const plain = await plainOpen;
    assert.equal(dataOpens, 2, 'both opens were first opens, racing');
    assert.equal(statusName(plain.status), 'STATUS_SUCCESS');
    assert.equal(statusName(overwrite.status), 'STATUS_SUCCESS');
    assert.equal(overwrite.information, FILE_OVERWRITTEN);

    const api = rig.stack.api;
    const size = await api.queryInformation(overwrite.handle!, FileInformationClass.FileStandardInformation);
    assert.equal(size.info!.endOfFile, 0, 'the overwritten file is empty');
    assert.equal(statusName((await api.read(plain.handle!, 16, 0)).status), statusName(STATUS_END_OF_FILE), 'for every open of it');
    const mine = bytes(10, 3);
    assert.equal(statusName((await api.write(overwrite.handle!, mine, 0)).status), 'STATUS_SUCCESS');
    assert.equal(statusName((await api.close(overwrite.handle!)).status), 'STATUS_SUCCESS');
    assert.equal(statusName((await api.close(plain.handle!)).status), 'STATUS_SUCCESS');
    assert.deepEqual(await rig.get('a.bin'), mine, 'only what the overwriter wrote is saved');
  });
});
