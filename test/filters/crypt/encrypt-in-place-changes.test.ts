// Encrypt in place while another program works in the folder: a file appended to, rewritten or cut while it
// is being read is encrypted from its new version (never the old one, never a mix of both); a file renamed
// away with a new one put at its name, or swapped for a link, loses nothing and the link stays a link;
// files deleted or renamed before their turn are not failures (a renamed one is encrypted under its new
// name). Age files to another key are listed as such, and encrypted files keep their times and read-only
// attribute. The other program's changes are made from the progress callback, at the first batch read of
// the file, so they land while the file is being read.

import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, closeSync, lstatSync, openSync, renameSync, statSync, symlinkSync, truncateSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { X25519Identity, decrypt, encrypt, loadSodium } from '../../../main/age/index.js';
import { encryptInPlace, type EncryptProgress, type EncryptReport } from '../../../filters/crypt/encrypt-in-place.js';
import { bytes, openCryptRig, type CryptRig } from './crypt-rig.js';

const MiB = 1 << 20;
let rig: CryptRig | undefined;
let folder: string | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  folder = undefined;
});

async function folderWith(files: Record<string, Uint8Array>): Promise<string> {
  folder = await mkdtemp(join(tmpdir(), 'strata-eip-changes-'));
  for (const [name, data] of Object.entries(files)) await writeFile(join(folder, name), data);
  return folder;
}

/** Runs `action` once, when the first bytes of `name` (a volume name) have been read. */
function whileReading(name: string, action: () => void): (progress: EncryptProgress) => void {
  let startBytes: number | null = null;
  let done = false;
  return (progress) => {
    if (done || progress.current !== name) return;
    if (startBytes === null) startBytes = progress.bytes;
    else if (progress.bytes > startBytes) {
      done = true;
      action();
    }
  };
}

/** Runs `action` once, when the run comes to `name` (before anything of it is read). */
function whenReaching(name: string, action: () => void): (progress: EncryptProgress) => void {
  let done = false;
  return (progress) => {
    if (done || progress.current !== name) return;
    done = true;
    action();
  };
}

async function run(onProgress: (progress: EncryptProgress) => void): Promise<EncryptReport> {
  rig = await openCryptRig({ folder: folder! });
  return encryptInPlace(await rig.volume(), { onProgress });
}

async function plaintextOf(name: string): Promise<Uint8Array> {
  const disk = new Uint8Array(await readFile(join(folder!, name)));
  assert.equal(Buffer.from(disk.subarray(0, 21)).toString(), 'age-encryption.org/v1', `${name} is an age file`);
  return decrypt(rig!.sodium, disk, [rig!.identity]);
}

function sameBytes(actual: Uint8Array, expected: Uint8Array, message: string): void {
  assert.equal(actual.length, expected.length, `${message}: length`);
  assert.ok(Buffer.from(actual).equals(Buffer.from(expected)), `${message}: content`);
}

describe('encrypt in place while the folder changes', () => {
  it('a file appended to while it is read is encrypted with the appended bytes', async () => {
    const original = bytes(12 * MiB, 1);
    const tail = bytes(100_000, 2);
    await folderWith({ 'grow.bin': original });
    const report = await run(whileReading('\\grow.bin', () => appendFileSync(join(folder!, 'grow.bin'), tail)));
    assert.deepEqual(report.encrypted, ['\\grow.bin']);
    sameBytes(await plaintextOf('grow.bin'), Buffer.concat([original, tail]), 'the appended bytes are kept');
  });

  it('a file rewritten while it is read is encrypted from its new version, never a mix of both', async () => {
    const before = bytes(40 * MiB, 3);
    const after = bytes(40 * MiB, 4);
    await folderWith({ 'doc.bin': before });
    const report = await run(whileReading('\\doc.bin', () => {
      const fd = openSync(join(folder!, 'doc.bin'), 'r+');
      writeSync(fd, after, 0, after.length, 0);
      closeSync(fd);
    }));
    assert.deepEqual(report.encrypted, ['\\doc.bin']);
    sameBytes(await plaintextOf('doc.bin'), after, 'the new version, whole');
  });

  it('a file cut while it is read is encrypted from its new length', async () => {
    const original = bytes(12 * MiB, 5);
    await folderWith({ 'cut.bin': original });
    const report = await run(whileReading('\\cut.bin', () => truncateSync(join(folder!, 'cut.bin'), 1000)));
    assert.deepEqual(report.failed, []);
    sameBytes(await plaintextOf('cut.bin'), original.subarray(0, 1000), 'the cut version');
  });

  it('a file renamed away while it is read, a new file put at its name: both are kept and encrypted', async () => {
    const original = bytes(12 * MiB, 6);
    const newcomer = bytes(5000, 7);
    await folderWith({ 'a.bin': original });
    const report = await run(whileReading('\\a.bin', () => {
      renameSync(join(folder!, 'a.bin'), join(folder!, 'moved.bin'));
      const fd = openSync(join(folder!, 'a.bin'), 'wx');
      writeSync(fd, newcomer);
      closeSync(fd);
    }));
    assert.deepEqual(report.failed, []);
    assert.deepEqual(report.encrypted.sort(), ['\\a.bin', '\\moved.bin']);
    sameBytes(await plaintextOf('a.bin'), newcomer, 'the file now at the name is not overwritten by the old one');
    sameBytes(await plaintextOf('moved.bin'), original, 'the renamed file is encrypted under its new name');
  });

  it('a file swapped for a link while it is read: the link stays a link, its target is encrypted once', async () => {
    const original = bytes(12 * MiB, 8);
    await folderWith({ 'a.bin': original });
    const report = await run(whileReading('\\a.bin', () => {
      renameSync(join(folder!, 'a.bin'), join(folder!, 'target.bin'));
      symlinkSync('target.bin', join(folder!, 'a.bin'));
    }));
    assert.deepEqual(report.failed, []);
    assert.ok(lstatSync(join(folder!, 'a.bin')).isSymbolicLink(), 'the link is not replaced by an encrypted copy');
    assert.deepEqual(report.encrypted, ['\\target.bin']);
    sameBytes(await plaintextOf('target.bin'), original, 'the target, encrypted where it lies');
  });

  it('files deleted or renamed before their turn are not failures; a renamed one is encrypted under its new name', async () => {
    await folderWith({ 'a.txt': bytes(100, 9), 'b.txt': bytes(200, 10), 'c.txt': bytes(300, 11) });
    const report = await run(whenReaching('\\a.txt', () => {
      unlinkSync(join(folder!, 'b.txt'));
      renameSync(join(folder!, 'c.txt'), join(folder!, 'd.txt'));
    }));
    assert.deepEqual(report.failed, []);
    assert.deepEqual(report.gone.sort(), ['\\b.txt', '\\c.txt']);
    assert.deepEqual(report.encrypted.sort(), ['\\a.txt', '\\d.txt']);
    sameBytes(await plaintextOf('d.txt'), bytes(300, 11), 'the renamed file');
  });

  it('an age file to another key is left alone and listed as such, not as already encrypted', async () => {
    const sodium = await loadSodium();
    const other = X25519Identity.generate(sodium);
    const foreign = encrypt(sodium, [other.recipient()], bytes(1000, 12));
    await folderWith({ 'theirs.age': foreign, 'mine.txt': bytes(100, 13) });
    const report = await run(() => undefined);
    assert.deepEqual(report.foreign, ['\\theirs.age']);
    assert.deepEqual(report.skipped, []);
    assert.deepEqual(report.encrypted, ['\\mine.txt']);
    sameBytes(new Uint8Array(await readFile(join(folder!, 'theirs.age'))), foreign, 'untouched');
  });

  it('an encrypted file keeps its write time and its read-only attribute', async () => {
    await folderWith({ 'old.txt': bytes(100, 14), 'frozen.txt': bytes(100, 15) });
    const then = new Date('2020-01-02T03:04:05.678Z');
    utimesSync(join(folder!, 'old.txt'), then, then);
    chmodSync(join(folder!, 'frozen.txt'), 0o444);
    const report = await run(() => undefined);
    assert.deepEqual(report.encrypted.sort(), ['\\frozen.txt', '\\old.txt']);
    assert.equal(Math.round(statSync(join(folder!, 'old.txt')).mtimeMs), then.getTime());
    assert.equal(statSync(join(folder!, 'frozen.txt')).mode & 0o222, 0, 'still read-only');
    sameBytes(await plaintextOf('frozen.txt'), bytes(100, 15), 'the read-only file is encrypted');
  });
});
