// Undo journals a dead run left: a real child process writes through the scan filter and is killed
// (SIGKILL) before its cleanup; the next registration on the folder deals with its journal before any
// open: infected content is rolled back to the original, clean changes are kept, and a journal that
// cannot be applied is kept and reported. A live run's journal is left alone (pid and start time).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EICAR_TEST_STRING } from '../../../filters/scan/engine/builtin-signatures.js';
import { tempDir } from './helpers.js';
import { openFile, openScanRig, readThrough, type ScanRig } from './scan-rig.js';

const CHILD = new URL('./journal-crash-child.js', import.meta.url).pathname;
const ORIGINAL = 'ORIGINAL-CLEAN-CONTENT-'.repeat(10);
const VOLUME_KEY = 'crash-test-folder';
const volumeKey = () => VOLUME_KEY;

interface Writer {
  readonly pid: number;
  kill(): Promise<void>;
}

/** Starts a child that changes x.txt in `folder` (journalling in `stagingDir`) and waits to be killed. */
async function startWriter(t: { after(fn: () => Promise<void>): void }, folder: string, stagingDir: string, mode: 'infected' | 'overwrite' | 'clean'): Promise<Writer> {
  const child = spawn(process.execPath, [CHILD, folder, stagingDir, mode, VOLUME_KEY], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const kill = async () => {
    child.kill('SIGKILL');
    await exited;
  };
  t.after(kill);
  const ready = await new Promise<boolean>((resolve) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().startsWith('ready')));
    child.on('exit', () => resolve(false));
  });
  assert.ok(ready, `the ${mode} writer got ready`);
  return { pid: child.pid!, kill };
}

function folderWithOriginal(t: { after(fn: () => void): void }): { folder: string; stagingDir: string } {
  const folder = tempDir(t, 'strata-scan-folder-');
  writeFileSync(join(folder, 'x.txt'), ORIGINAL);
  return { folder, stagingDir: tempDir(t, 'strata-scan-staging-') };
}

/** The first open through the rig mounts the volume and waits for the recovery. */
async function recoveredRig(t: Parameters<typeof openScanRig>[0], folder: string, stagingDir: string): Promise<ScanRig> {
  const rig = await openScanRig(t, { folder, stagingDir, volumeKey });
  const other = await openFile(rig, 'other.txt');
  await rig.stack.api.close(other.handle!);
  return rig;
}

const summary = (rig: ScanRig) => rig.events.map((event) => `${event.kind}/${event.origin}:${event.detail ?? ''}`);

describe('undo journals a killed writer left', () => {
  for (const mode of ['infected', 'overwrite'] as const) {
    it(`(${mode}) are rolled back at the next registration: the original is back, the infected content quarantined, the journal gone`, async (t) => {
      const { folder, stagingDir } = folderWithOriginal(t);
      const writer = await startWriter(t, folder, stagingDir, mode);
      assert.ok(readFileSync(join(folder, 'x.txt'), 'latin1').includes(EICAR_TEST_STRING), 'the halves landed');
      assert.equal(readdirSync(stagingDir).length, 1, 'the writer journalled the original');
      await writer.kill();

      const rig = await recoveredRig(t, folder, stagingDir);
      assert.equal(readFileSync(join(folder, 'x.txt'), 'latin1'), ORIGINAL);
      assert.deepEqual(readdirSync(stagingDir), [], 'the journal is gone');
      assert.deepEqual(summary(rig), ['threat-found/recovery:', 'quarantined/recovery:q1', 'blocked/recovery:restored']);
      assert.equal(rig.events[0]?.path, '\\x.txt');
      assert.ok(Buffer.from(rig.quarantined[0]!.content).toString('latin1').includes(EICAR_TEST_STRING));
      assert.equal(Buffer.from(await readThrough(rig, 'x.txt')).toString('latin1'), ORIGINAL, 'and it opens');
    });
  }

  it('keep clean changes and are removed', async (t) => {
    const { folder, stagingDir } = folderWithOriginal(t);
    const writer = await startWriter(t, folder, stagingDir, 'clean');
    await writer.kill();
    const changed = readFileSync(join(folder, 'x.txt'), 'latin1');
    assert.notEqual(changed, ORIGINAL);

    const rig = await recoveredRig(t, folder, stagingDir);
    assert.equal(readFileSync(join(folder, 'x.txt'), 'latin1'), changed);
    assert.deepEqual(readdirSync(stagingDir), []);
    assert.deepEqual(summary(rig).map((line) => line.split(':')[0]), ['scanned/recovery']);
  });

  it('of one file, several, are applied newest first so the oldest original wins', async (t) => {
    const { folder, stagingDir } = folderWithOriginal(t);
    await (await startWriter(t, folder, stagingDir, 'clean')).kill();
    // The first writer's journal is kept out of the second writer's sight (its attach would recover it).
    const [older] = readdirSync(stagingDir);
    renameSync(join(stagingDir, older!), join(stagingDir, 'held'));
    await (await startWriter(t, folder, stagingDir, 'infected')).kill();
    renameSync(join(stagingDir, 'held'), join(stagingDir, older!));
    assert.equal(readdirSync(stagingDir).length, 2);

    const rig = await recoveredRig(t, folder, stagingDir);
    assert.equal(readFileSync(join(folder, 'x.txt'), 'latin1'), ORIGINAL, 'neither writer\'s bytes stay');
    assert.deepEqual(readdirSync(stagingDir), []);
    assert.deepEqual(summary(rig), ['threat-found/recovery:', 'quarantined/recovery:q1', 'blocked/recovery:restored']);
  });

  it('of a process still alive are left alone, then taken once it is dead', async (t) => {
    const { folder, stagingDir } = folderWithOriginal(t);
    const writer = await startWriter(t, folder, stagingDir, 'clean');
    const journal = readdirSync(stagingDir);
    const first = await recoveredRig(t, folder, stagingDir);
    assert.deepEqual(readdirSync(stagingDir), journal, 'the live writer keeps its journal');
    assert.deepEqual(first.events, []);

    await writer.kill();
    const second = await recoveredRig(t, folder, stagingDir);
    assert.deepEqual(readdirSync(stagingDir), []);
    assert.deepEqual(summary(second).map((line) => line.split(':')[0]), ['scanned/recovery']);
  });

  it('named for a living process id but another start time (a reused pid) are a dead run\'s', async (t) => {
    const { folder, stagingDir } = folderWithOriginal(t);
    const writer = await startWriter(t, folder, stagingDir, 'infected');
    await writer.kill();
    const [name] = readdirSync(stagingDir);
    assert.match(name!, new RegExp(`^undo-${writer.pid}-`), 'the name carries the writer\'s pid');
    // This test's own pid is alive; the start time in the name is the killed writer's, not ours.
    renameSync(join(stagingDir, name!), join(stagingDir, name!.replace(`undo-${writer.pid}-`, `undo-${process.pid}-`)));

    const rig = await recoveredRig(t, folder, stagingDir);
    assert.equal(readFileSync(join(folder, 'x.txt'), 'latin1'), ORIGINAL);
    assert.deepEqual(readdirSync(stagingDir), []);
    assert.equal(summary(rig).at(-1), 'blocked/recovery:restored');
  });

  it('whose file is gone are kept (private) and reported at every attach', async (t) => {
    const { folder, stagingDir } = folderWithOriginal(t);
    const writer = await startWriter(t, folder, stagingDir, 'infected');
    await writer.kill();
    rmSync(join(folder, 'x.txt'));

    for (const run of [1, 2]) {
      const rig = await recoveredRig(t, folder, stagingDir);
      const kept = readdirSync(stagingDir);
      assert.equal(kept.length, 1, `run ${run}: the only copy of the original is kept`);
      assert.equal(statSync(join(stagingDir, kept[0]!)).mode & 0o777, 0o600);
      assert.deepEqual(rig.events.map((event) => `${event.kind}/${event.origin}`), ['error/recovery'], `run ${run}`);
      assert.equal(rig.events[0]?.path, '\\x.txt');
      assert.match(rig.events[0]?.detail ?? '', new RegExp(`${kept[0]}.*not there.*kept`));
    }
  });

  it('of another volume are not touched', async (t) => {
    const { folder, stagingDir } = folderWithOriginal(t);
    const writer = await startWriter(t, folder, stagingDir, 'infected');
    await writer.kill();
    const journal = readdirSync(stagingDir);
    const rig = await openScanRig(t, { folder: tempDir(t), stagingDir, volumeKey: () => 'another-folder' });
    await rig.stack.api.close((await openFile(rig, 'y.txt')).handle!);
    assert.deepEqual(readdirSync(stagingDir), journal);
    assert.deepEqual(rig.events, []);
  });

  it('of an earlier version (raw bytes, no file named) are removed once their process is gone', async (t) => {
    const stagingDir = tempDir(t, 'strata-scan-staging-');
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.on('exit', resolve));
    writeFileSync(join(stagingDir, `undo-${dead.pid}-0123456789abcdef`), 'plaintext of some file', { mode: 0o600 });
    writeFileSync(join(stagingDir, `undo-${process.pid}-fedcba9876543210`), 'a live process\'s', { mode: 0o600 });
    await recoveredRig(t, tempDir(t), stagingDir);
    assert.deepEqual(readdirSync(stagingDir), [`undo-${process.pid}-fedcba9876543210`]);
  });
});
