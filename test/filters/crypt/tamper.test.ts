// Integrity: every kind of damage to an encrypted file makes reads fail with STATUS_FILE_CORRUPT_ERROR and
// return no plaintext: a modified, truncated, extended, reordered or swapped chunk, or a changed header byte.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { CHUNK_SIZE, ENCRYPTED_CHUNK_SIZE, parseHeader } from '../../../main/age/index.js';
import { FILE_OPEN, statusName } from '../../../main/io/index.js';
import { bytes, openCryptRig, type CryptRig } from './crypt-rig.js';

let rig: CryptRig;
afterEach(() => rig?.close());

/** Writes a 3-chunk file through Strata, damages its ciphertext on disk, and returns the read status. */
async function damaged(damage: (file: Uint8Array, payloadStart: number) => Uint8Array | Promise<Uint8Array>): Promise<string> {
  rig = await openCryptRig();
  await rig.put('victim.bin', bytes(3 * CHUNK_SIZE - 100, 4));
  const file = await rig.onDisk('victim.bin');
  const payloadStart = parseHeader(file).length + 16;
  await writeFile(join(rig.folder, 'victim.bin'), await damage(file.slice(), payloadStart));
  return statusName(await rig.readStatus('victim.bin'));
}

function chunkAt(file: Uint8Array, payloadStart: number, index: number): Uint8Array {
  return file.slice(payloadStart + index * ENCRYPTED_CHUNK_SIZE, payloadStart + (index + 1) * ENCRYPTED_CHUNK_SIZE);
}

describe('crypt filter: tampering is an error, never garbage', () => {
  it('a modified byte in a chunk fails the read with STATUS_FILE_CORRUPT_ERROR', async () => {
    assert.equal(await damaged((file, start) => ((file[start + ENCRYPTED_CHUNK_SIZE + 10]! ^= 1), file)), 'STATUS_FILE_CORRUPT_ERROR');
  });

  it('a file truncated at a chunk boundary fails (the new last chunk is not marked final)', async () => {
    assert.equal(await damaged((file, start) => file.slice(0, start + 2 * ENCRYPTED_CHUNK_SIZE)), 'STATUS_FILE_CORRUPT_ERROR');
  });

  it('a file truncated inside a chunk fails', async () => {
    assert.equal(await damaged((file) => file.slice(0, file.length - 7)), 'STATUS_FILE_CORRUPT_ERROR');
  });

  it('a file extended with extra bytes fails', async () => {
    assert.equal(await damaged((file) => Buffer.concat([file, bytes(100)])), 'STATUS_FILE_CORRUPT_ERROR');
  });

  it('reordered chunks fail (nonces are fixed by position)', async () => {
    assert.equal(await damaged((file, start) => {
      const first = chunkAt(file, start, 0);
      file.set(chunkAt(file, start, 1), start);
      file.set(first, start + ENCRYPTED_CHUNK_SIZE);
      return file;
    }), 'STATUS_FILE_CORRUPT_ERROR');
  });

  it('a chunk swapped in from another file at the same position fails (another file key)', async () => {
    assert.equal(await damaged(async (file, start) => {
      await rig.put('other.bin', bytes(3 * CHUNK_SIZE - 100, 4));
      const other = await rig.onDisk('other.bin');
      const otherStart = parseHeader(other).length + 16;
      file.set(chunkAt(other, otherStart, 1), start + ENCRYPTED_CHUNK_SIZE);
      return file;
    }), 'STATUS_FILE_CORRUPT_ERROR');
  });

  /** Flips a byte `skip` characters after `marker` in the header. */
  const flipAfter = (marker: string, skip: number) => (file: Uint8Array): Uint8Array => {
    const at = new TextDecoder().decode(file.subarray(0, 300)).indexOf(marker) + marker.length + skip;
    file[at] = file[at] === 0x41 ? 0x42 : 0x41;
    return file;
  };

  it('a changed byte in the header MAC line fails with STATUS_FILE_CORRUPT_ERROR', async () => {
    assert.equal(await damaged(flipAfter('\n--- ', 0)), 'STATUS_FILE_CORRUPT_ERROR');
  });

  it('a changed byte in the recipient stanza fails with STATUS_DECRYPTION_FAILED (the key no longer unwraps)', async () => {
    assert.equal(await damaged(flipAfter('-> X25519 ', 2)), 'STATUS_DECRYPTION_FAILED');
  });

  it('a changed version line fails with STATUS_FILE_CORRUPT_ERROR', async () => {
    assert.equal(await damaged((file) => ((file[20] = 0x32), file)), 'STATUS_FILE_CORRUPT_ERROR');
  });

  it('a changed payload nonce fails', async () => {
    assert.equal(await damaged((file, start) => ((file[start - 1]! ^= 0x80), file)), 'STATUS_FILE_CORRUPT_ERROR');
  });

  it('an undamaged chunk of a damaged file is not served either once the damage is known at open', async () => {
    await damaged((file, start) => file.slice(0, start + ENCRYPTED_CHUNK_SIZE + 50));
    const handle = await rig.open('victim.bin', FILE_OPEN);
    const first = await rig.stack.api.read(handle, 100, 0);
    assert.equal(statusName(first.status), 'STATUS_FILE_CORRUPT_ERROR');
    assert.equal(first.data.length, 0);
    await rig.stack.api.close(handle);
  });
});
