// Crash safety: a child process writing through Strata (or encrypting in place) is killed with SIGKILL at
// random moments; afterwards every file is complete: its old or its new version, never a torn mix, and an
// interrupted encrypt-in-place resumes to the end.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { X25519Identity, decrypt, loadSodium } from '../../../main/age/index.js';
import { encryptInPlace } from '../../../filters/crypt/encrypt-in-place.js';
import { FILES, bigContentOf, bigVersionOf, contentOf, versionOf } from './crash-content.js';
import { openCryptRig } from './crypt-rig.js';

const sodium = await loadSodium();
const CHILD = new URL('./crash-child.js', import.meta.url).pathname;

/** Runs the child until it prints its first line, lets it work `ms` more, then kills it. */
async function runAndKill(mode: string, folder: string, identity: X25519Identity, ms: number): Promise<void> {
  const child = spawn(process.execPath, [CHILD, mode, folder], { env: { ...process.env, STRATA_TEST_IDENTITY: identity.toString() }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve) => {
    child.stdout.once('data', () => resolve());
    child.on('exit', () => resolve());
  });
  await new Promise((resolve) => setTimeout(resolve, ms));
  child.kill('SIGKILL');
  await exited;
}

describe('crypt filter: crash safety', () => {
  it('a writer killed at random points leaves every file as one complete version', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'strata-crash-'));
    const identity = X25519Identity.generate(sodium);
    const saved = new Set<number>();
    try {
      for (let round = 0; round < 8; round++) {
        await runAndKill('write', folder, identity, 30 + Math.floor(Math.random() * 400));
        for (let file = 0; file < FILES.length; file++) {
          let disk: Uint8Array;
          try {
            disk = new Uint8Array(await readFile(join(folder, FILES[file]!)));
          } catch {
            assert.equal(saved.has(file), false, `round ${round}: ${FILES[file]} vanished`);
            continue;
          }
          // A file created and killed before its first save exists empty (the create itself is not undone).
          if (disk.length === 0 && !saved.has(file)) continue;
          saved.add(file);
          const plaintext = decrypt(sodium, disk, [identity]);
          assert.notEqual(versionOf(file, plaintext, 2000), null, `round ${round}: ${FILES[file]} is a complete version`);
        }
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('a writer of a large file (write-behind) killed at random points leaves it as one complete version', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'strata-crash-big-'));
    const identity = X25519Identity.generate(sodium);
    let saved = false;
    try {
      for (let round = 0; round < 6; round++) {
        await runAndKill('big', folder, identity, 100 + Math.floor(Math.random() * 800));
        let disk: Uint8Array;
        try {
          disk = new Uint8Array(await readFile(join(folder, 'big.bin')));
        } catch {
          assert.equal(saved, false, `round ${round}: big.bin vanished`);
          continue;
        }
        if (disk.length === 0 && !saved) continue;
        saved = true;
        const plaintext = decrypt(sodium, disk, [identity]);
        assert.deepEqual(plaintext, bigContentOf(bigVersionOf(plaintext)), `round ${round}: big.bin is a complete version`);
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('encrypt in place killed at random points leaves each file plain or encrypted, complete, and resumes to the end', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'strata-crash-enc-'));
    const identity = X25519Identity.generate(sodium);
    const originals = new Map<string, Uint8Array>();
    for (let i = 0; i < 24; i++) {
      const name = `f${String(i).padStart(2, '0')}.bin`;
      const data = contentOf(i % 3, 100 + i);
      originals.set(name, data);
      await writeFile(join(folder, name), data);
    }
    try {
      for (let round = 0; round < 4; round++) {
        await runAndKill('encrypt', folder, identity, 20 + Math.floor(Math.random() * 150));
        for (const [name, original] of originals) {
          const disk = new Uint8Array(await readFile(join(folder, name)));
          const plaintext = Buffer.from(disk.subarray(0, 21)).toString() === 'age-encryption.org/v1' ? decrypt(sodium, disk, [identity]) : disk;
          assert.deepEqual(plaintext, original, `round ${round}: ${name} is complete`);
        }
      }
      const rig = await openCryptRig({ folder, identity });
      try {
        const report = await encryptInPlace(await rig.volume());
        assert.equal(report.failed.length, 0);
        assert.equal(report.encrypted.length + report.skipped.length, originals.size);
      } finally {
        await rig.close();
      }
      assert.deepEqual((await readdir(folder)).filter((name) => name.includes('.strata-tmp-')), [], 'leftover temporary files were removed');
      for (const [name, original] of originals) assert.deepEqual(decrypt(sodium, new Uint8Array(await readFile(join(folder, name))), [identity]), original);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
