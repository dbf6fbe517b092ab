// Encrypt in place, in process: progress is reported per file, cancellation stops between files and the
// journal (SQLite, migration 2) lets the next run resume; files already encrypted are never touched again.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { decrypt } from '../../../main/age/index.js';
import { openStore } from '../../../main/store/index.js';
import { encryptInPlace, type EncryptProgress } from '../../../filters/crypt/encrypt-in-place.js';
import { sqliteJournal } from '../../../filters/crypt/encrypt-journal.js';
import { bytes, openCryptRig, type CryptRig } from './crypt-rig.js';

let rig: CryptRig;
afterEach(() => rig?.close());

async function plainFolder(count: number): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'strata-eip-'));
  await mkdir(join(folder, 'nested'));
  for (let i = 0; i < count; i++) await writeFile(join(folder, i % 2 ? 'nested' : '', `p${i}.bin`), bytes(10_000 + i, i));
  return folder;
}

describe('encrypt in place', () => {
  it('reports progress per file, cancels between files, and resumes from the journal', async () => {
    const folder = await plainFolder(6);
    const dataDir = await mkdtemp(join(tmpdir(), 'strata-eip-data-'));
    const store = openStore(dataDir);
    try {
      rig = await openCryptRig({ folder });
      const volume = await rig.volume();
      const journal = sqliteJournal(store.db);
      const controller = new AbortController();
      const seen: EncryptProgress[] = [];
      const first = await encryptInPlace(volume, {
        journal, folderKey: folder, signal: controller.signal,
        onProgress: (progress) => {
          seen.push(progress);
          if (progress.done === 2) controller.abort();
        },
      });
      assert.equal(first.cancelled, true);
      assert.equal(first.encrypted.length, 2);
      assert.equal(seen[0]!.total, 6);
      assert.ok(seen.every((progress) => progress.totalBytes === seen[0]!.totalBytes));
      const run = store.db.prepare('SELECT state FROM crypt_encrypt_runs WHERE folder = ?').get(folder) as { state: string };
      assert.equal(run.state, 'interrupted');
      assert.equal((store.db.prepare('SELECT count(*) AS n FROM crypt_encrypt_files WHERE folder = ?').get(folder) as { n: number }).n, 2);

      const second = await encryptInPlace(volume, { journal, folderKey: folder });
      assert.equal(second.cancelled, false);
      assert.equal(second.encrypted.length, 4);
      assert.deepEqual(second.skipped.sort(), [...first.encrypted].sort(), 'what the first run did is not redone');
      assert.equal((store.db.prepare('SELECT state FROM crypt_encrypt_runs WHERE folder = ?').get(folder) as { state: string }).state, 'done');
      for (let i = 0; i < 6; i++) {
        const disk = new Uint8Array(await readFile(join(folder, i % 2 ? 'nested' : '', `p${i}.bin`)));
        assert.deepEqual(decrypt(rig.sodium, disk, [rig.identity]), bytes(10_000 + i, i));
      }
    } finally {
      store.close();
      await rm(dataDir, { recursive: true, force: true });
      await rig.close();
      rig = undefined as unknown as CryptRig;
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('progress counts the bytes of a large file as they are read, not only when the file is done', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'strata-eip-'));
    const size = 12 << 20;
    await writeFile(join(folder, 'big.bin'), bytes(size, 3));
    rig = await openCryptRig({ folder });
    const seen: EncryptProgress[] = [];
    const report = await encryptInPlace(await rig.volume(), { onProgress: (progress) => seen.push(progress) });
    assert.deepEqual(report.encrypted, ['\\big.bin']);
    const during = seen.filter((progress) => progress.done === 0 && progress.bytes > 0 && progress.bytes < size);
    assert.ok(during.length > 0, `a report while big.bin was read: ${JSON.stringify(seen)}`);
    assert.deepEqual(seen.at(-1), { done: 1, total: 1, bytes: size, totalBytes: size, current: '\\big.bin' });
    await rig.close();
    rig = undefined as unknown as CryptRig;
    await rm(folder, { recursive: true, force: true });
  });

  it('a file held open through Strata is reported as failed, not half-done, and the rest proceed', async () => {
    const folder = await plainFolder(2);
    rig = await openCryptRig({ folder });
    const held = await rig.open('p0.bin', 1);
    const report = await encryptInPlace(await rig.volume());
    assert.deepEqual(report.failed.map((failure) => failure.path), ['\\p0.bin']);
    assert.deepEqual(report.encrypted, ['\\nested\\p1.bin']);
    assert.deepEqual(new Uint8Array(await readFile(join(folder, 'p0.bin'))), bytes(10_000, 0), 'the held file is intact plaintext');
    await rig.stack.api.close(held);
    await rig.close();
    rig = undefined as unknown as CryptRig;
    await rm(folder, { recursive: true, force: true });
  });
});
