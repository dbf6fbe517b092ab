// Leftover temporary files of saves a crashed process never finished: the crypt filter sweeps them when it
// attaches to the volume. Real writers in child processes, in the middle of a save (their write-behind's
// temporary file on disk): the one killed leaves a leftover that is removed; the one still alive keeps its
// temporary file, which listings through Strata never show.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { X25519Identity, loadSodium } from '../../../main/age/index.js';
import { FILE_DIRECTORY_FILE, FILE_OPEN, FILE_OVERWRITE_IF, statusName } from '../../../main/io/index.js';
import { encryptInPlace } from '../../../filters/crypt/encrypt-in-place.js';
import { TEMP_MARK } from '../../../filters/crypt/names.js';
import type { TempSweep } from '../../../filters/crypt/temp-sweep.js';
import { bytes, openCryptRig, type CryptRig } from './crypt-rig.js';

const sodium = await loadSodium();
const CHILD = new URL('./temp-holder-child.js', import.meta.url).pathname;

interface Holder {
  child: ChildProcess;
  exited: Promise<void>;
}

/** A writer in another process, in the middle of saving `file`: resolves once its temporary file is on disk. */
async function startHolder(folder: string, identity: X25519Identity, file: string): Promise<Holder> {
  const child = spawn(process.execPath, [CHILD, folder, file], { env: { ...process.env, STRATA_TEST_IDENTITY: identity.toString() }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const holding = await new Promise<boolean>((resolve) => {
    child.stdout!.once('data', () => resolve(true));
    child.on('exit', () => resolve(false));
  });
  assert.ok(holding, `the writer of ${file} ended before it was holding its temporary file`);
  return { child, exited };
}

async function kill(holder: Holder): Promise<void> {
  holder.child.kill('SIGKILL');
  await holder.exited;
}

async function tempsOf(folder: string, file: string): Promise<string[]> {
  return (await readdir(folder)).filter((name) => name.startsWith(`.${file}${TEMP_MARK}`));
}

/** Names listed through the filter stack at the folder's root. */
async function listedThrough(rig: CryptRig): Promise<string[]> {
  const root = await rig.stack.api.createFile(rig.stack.pathOf(''), { disposition: FILE_OPEN, options: FILE_DIRECTORY_FILE });
  const names: string[] = [];
  for (let restart = true; ; restart = false) {
    const result = await rig.stack.api.queryDirectory(root.handle!, null, restart);
    if (!result.info?.length) break;
    names.push(...result.info!.map((entry) => entry.fileName));
  }
  await rig.stack.api.close(root.handle!);
  return names.sort();
}

/** Mounts the folder in this process and waits for the sweep begun at attach. */
async function sweptRig(folder: string, identity: X25519Identity): Promise<{ rig: CryptRig; sweep: TempSweep }> {
  let reported: TempSweep | null = null;
  const rig = await openCryptRig({ folder, identity, onTempSweep: (sweep) => (reported = sweep) });
  const sweep = await (await rig.volume()).tempSweep;
  await rig.crypt.idle();
  assert.equal(reported, sweep, 'the sweep is reported through onTempSweep');
  return { rig, sweep };
}

describe('crypt filter: leftover temporary files', () => {
  it('a crashed save\'s temporary file is removed at attach; a live writer\'s is kept, and hidden from listings', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'strata-crypt-sweep-'));
    const identity = X25519Identity.generate(sodium);
    await writeFile(join(folder, 'plain.txt'), 'hello');
    // The live writer starts first: its own sweep at attach must not see the other's leftover yet.
    const live = await startHolder(folder, identity, 'live.bin');
    const crashed = await startHolder(folder, identity, 'crashed.bin');
    try {
      await kill(crashed);
      const [leftover] = await tempsOf(folder, 'crashed.bin');
      const [held] = await tempsOf(folder, 'live.bin');
      assert.ok(leftover !== undefined && held !== undefined, 'both writers had a temporary file on disk');

      let { rig, sweep } = await sweptRig(folder, identity);
      try {
        assert.deepEqual(await tempsOf(folder, 'crashed.bin'), [], 'the dead writer\'s leftover is removed');
        assert.deepEqual(await tempsOf(folder, 'live.bin'), [held], 'the live writer\'s temporary file is kept');
        assert.deepEqual(sweep.removed, [`\\${leftover}`]);
        assert.deepEqual(sweep.kept, [`\\${held}`]);
        assert.deepEqual(sweep.failed, []);
        assert.deepEqual(await listedThrough(rig), ['crashed.bin', 'live.bin', 'plain.txt'], 'no temporary file is listed through Strata');
      } finally {
        await rig.close();
      }

      await kill(live);
      ({ rig, sweep } = await sweptRig(folder, identity));
      try {
        assert.deepEqual(await tempsOf(folder, 'live.bin'), [], 'once its writer is gone, its temporary file goes too');
        assert.deepEqual(sweep.removed, [`\\${held}`]);
      } finally {
        await rig.close();
      }
    } finally {
      live.child.kill('SIGKILL');
      crashed.child.kill('SIGKILL');
      await Promise.all([live.exited, crashed.exited]);
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('leftovers in subfolders are found and encrypt in place reports them; a save under way in this process is kept', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'strata-crypt-sweep-'));
    const identity = X25519Identity.generate(sodium);
    const holder = await startHolder(folder, identity, 'deep.bin');
    const rigs: CryptRig[] = [];
    try {
      await kill(holder);
      const [leftover] = await tempsOf(folder, 'deep.bin');
      // The crashed writer's temporary file, moved two folders down (saves write beside their target).
      await mkdir(join(folder, 'a', 'b'), { recursive: true });
      await rename(join(folder, leftover!), join(folder, 'a', 'b', leftover!));
      const writer = await openCryptRig({ folder, identity });
      rigs.push(writer);
      const report = await encryptInPlace(await writer.volume());
      assert.deepEqual(report.cleaned, [`\\a\\b\\${leftover}`]);
      assert.deepEqual(await readdir(join(folder, 'a', 'b')), []);

      // A save under way in this process (its write-behind's temporary file on disk) while another mount sweeps.
      const data = bytes(12 << 20, 3);
      const handle = await writer.open('a/b/mine.bin', FILE_OVERWRITE_IF);
      for (let offset = 0; offset < data.length; offset += 1 << 20) await writer.stack.api.write(handle, data.subarray(offset, offset + (1 << 20)), offset);
      while ((await tempsOf(join(folder, 'a', 'b'), 'mine.bin')).length === 0) await sleep(10);
      const [held] = await tempsOf(join(folder, 'a', 'b'), 'mine.bin');
      const { rig: other, sweep } = await sweptRig(folder, identity);
      rigs.push(other);
      assert.deepEqual(sweep.kept, [`\\a\\b\\${held}`]);
      assert.deepEqual(sweep.removed, []);
      assert.equal(statusName((await writer.stack.api.close(handle)).status), 'STATUS_SUCCESS', 'the save ends well');
      assert.deepEqual(await writer.get('a/b/mine.bin'), data);
    } finally {
      for (const rig of rigs) await rig.close();
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('crypt filter: temporary names', () => {
  it('a file whose name is 240 characters long saves (its temporary name stays within 255 bytes)', async () => {
    const rig = await openCryptRig();
    try {
      const name = `${'n'.repeat(236)}.txt`;
      await rig.put(name, new TextEncoder().encode('long name'));
      assert.equal(new TextDecoder().decode(await rig.get(name)), 'long name');
      assert.deepEqual(await readdir(rig.folder), [name], 'no temporary file is left');
    } finally {
      await rig.close();
    }
  });
});
