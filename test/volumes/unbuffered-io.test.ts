// Non-cached I/O (FILE_NO_INTERMEDIATE_BUFFERING): on both volumes, misaligned transfers are refused and
// aligned ones from aligned memory land and read back; the flag belongs to the open, not the file. On the
// local volume, the host's O_DIRECT really carries them on ext4, and hosts that accept O_DIRECT without
// its alignment rules (tmpfs) or refuse it (ramfs) still give the same results. alignedSharedBuffer's sizes.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdtemp, readFile, readdir, readlink, realpath, rm, stat, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  FILE_CREATE, FILE_WRITE_TO_END_OF_FILE, FileInformationClass, IRP_MJ_READ, IRP_MJ_WRITE, IoBuildSynchronousFsdRequest,
  IoCallDriver, IoGetRelatedDeviceObject, KEvent, STATUS_END_OF_FILE, STATUS_INVALID_PARAMETER, alignedSharedBuffer,
  type FileHandle, type IoStatusBlock,
} from '../../main/io/index.js';
import type { LocalStream } from '../../main/volumes/local/local-stream.js';
import {
  SECTOR, alignedBytes, alignedPattern, openUnbuffered, paddedRoundTrip, sameBytes, streamOf,
} from './unbuffered-harness.js';
import { localVolumeFactory, memoryVolumeFactory, type VolumeFactory } from './volume-factories.js';
import { decode, expectStatus, getFile, mustClose, mustOpen, putFile, sizeOf, text, volumeTest } from './volume-harness.js';

/** FILE_USE_FILE_POINTER_POSITION: NtFileApi never sends it, so these requests are built by hand. */
async function atFilePointer(h: FileHandle, major: number, buffer: Uint8Array): Promise<IoStatusBlock> {
  const device = IoGetRelatedDeviceObject(h.fileObject);
  const event = new KEvent();
  const iosb: IoStatusBlock = { status: -1, information: 0 };
  IoCallDriver(device, IoBuildSynchronousFsdRequest(major, device, buffer, buffer.length, -2, event, iosb, h.fileObject));
  await event.wait();
  return iosb;
}

function unbufferedSemantics(makeVolume: VolumeFactory): void {
  volumeTest('misaligned offsets and lengths are refused with STATUS_INVALID_PARAMETER; the file is unchanged', makeVolume, async (v) => {
    const original = alignedPattern(3 * SECTOR, 1).slice();
    await putFile(v, '\\keep.bin', original);
    const h = await openUnbuffered(v, '\\keep.bin');
    const memory = alignedPattern(2 * SECTOR, 9);
    expectStatus((await v.api.write(h, memory.subarray(0, SECTOR), 512)).status, STATUS_INVALID_PARAMETER, 'write at a misaligned offset');
    expectStatus((await v.api.write(h, memory.subarray(0, SECTOR + 512), 0)).status, STATUS_INVALID_PARAMETER, 'write of a misaligned length');
    expectStatus((await v.api.write(h, memory.subarray(0, 100), 3 * SECTOR)).status, STATUS_INVALID_PARAMETER, 'short write at the end');
    expectStatus((await v.api.read(h, SECTOR, 100, alignedBytes(SECTOR))).status, STATUS_INVALID_PARAMETER, 'read at a misaligned offset');
    expectStatus((await v.api.read(h, 100, 0, alignedBytes(SECTOR))).status, STATUS_INVALID_PARAMETER, 'read of a misaligned length');
    await mustClose(v, h);
    sameBytes(await getFile(v, '\\keep.bin'), original, 'after the refused writes');
  });

  volumeTest('aligned writes from alignedSharedBuffer memory land in place and read back through buffered and non-cached opens', makeVolume, async (v) => {
    const data = alignedPattern(3 * SECTOR, 2);
    const h = await openUnbuffered(v, '\\sectors.bin', FILE_CREATE);
    expectStatus((await v.api.write(h, data.subarray(2 * SECTOR), 2 * SECTOR)).status, 0, 'the last sector first');
    expectStatus((await v.api.write(h, data.subarray(0, 2 * SECTOR), 0)).status, 0, 'then the first two');
    await mustClose(v, h);
    sameBytes(await getFile(v, '\\sectors.bin'), data, 'buffered read');
    const reader = await openUnbuffered(v, '\\sectors.bin');
    const middle = await v.api.read(reader, SECTOR, SECTOR, alignedBytes(SECTOR));
    sameBytes(middle.data, data.subarray(SECTOR, 2 * SECTOR), 'non-cached read of the middle sector');
    expectStatus((await v.api.read(reader, SECTOR, 3 * SECTOR, alignedBytes(SECTOR))).status, STATUS_END_OF_FILE, 'non-cached read at end of file');
    await mustClose(v, reader);
  });

  volumeTest('a padded last sector then FileEndOfFileInformation gives the exact content and size; a read reaching the end returns what is there', makeVolume, async (v) => {
    await paddedRoundTrip(v, '\\trimmed.bin', 10000);
    const h = await openUnbuffered(v, '\\trimmed.bin');
    assert.equal(await sizeOf(v, h), 10000);
    const tail = await v.api.read(h, 2 * SECTOR, 2 * SECTOR, alignedBytes(2 * SECTOR));
    expectStatus(tail.status, 0, 'read across end of file');
    assert.equal(tail.information, 10000 - 2 * SECTOR);
    // The file pointer now sits at 10000: a read from it is resolved there, then refused as misaligned.
    expectStatus((await atFilePointer(h, IRP_MJ_READ, alignedBytes(SECTOR))).status, STATUS_INVALID_PARAMETER, 'read at the file pointer, off a sector');
    await mustClose(v, h);
  });

  volumeTest('the flag is per open: a buffered open of the same file does unaligned I/O meanwhile', makeVolume, async (v) => {
    const direct = await openUnbuffered(v, '\\shared.bin', FILE_CREATE);
    const buffered = await mustOpen(v, '\\shared.bin');
    const sector = alignedPattern(SECTOR, 4);
    expectStatus((await v.api.write(direct, sector, SECTOR)).status, 0, 'non-cached write of the second sector');
    expectStatus((await v.api.write(buffered, text('hello'), 3)).status, 0, 'buffered write at 3');
    const across = await v.api.read(buffered, 10, SECTOR - 5);
    expectStatus(across.status, 0, 'buffered read across the sector boundary');
    sameBytes(across.data.subarray(5), sector.subarray(0, 5), 'the non-cached bytes, seen buffered');
    expectStatus((await v.api.write(direct, text('hello'), 3)).status, STATUS_INVALID_PARAMETER, 'the non-cached open still refuses it');
    const first = await v.api.read(direct, SECTOR, 0, alignedBytes(SECTOR));
    assert.equal(decode(first.data.subarray(3, 8)), 'hello', 'the buffered bytes, seen non-cached');
    await mustClose(v, buffered);
    await mustClose(v, direct);
  });

  volumeTest('FILE_WRITE_TO_END_OF_FILE and FILE_USE_FILE_POINTER_POSITION are resolved first, then checked', makeVolume, async (v) => {
    const data = alignedPattern(3 * SECTOR, 6);
    const h = await openUnbuffered(v, '\\grow.bin', FILE_CREATE);
    expectStatus((await v.api.write(h, data.subarray(0, SECTOR), 0)).status, 0);
    expectStatus((await atFilePointer(h, IRP_MJ_WRITE, data.subarray(SECTOR, 2 * SECTOR))).status, 0, 'write at the file pointer (4096)');
    expectStatus((await v.api.write(h, data.subarray(2 * SECTOR), FILE_WRITE_TO_END_OF_FILE)).status, 0, 'append at an aligned end');
    sameBytes(await getFile(v, '\\grow.bin'), data, 'the three sectors in order');
    expectStatus((await v.api.setInformation(h, FileInformationClass.FileEndOfFileInformation, { endOfFile: 3 * SECTOR + 8 })).status, 0);
    expectStatus((await v.api.write(h, data.subarray(0, SECTOR), FILE_WRITE_TO_END_OF_FILE)).status, STATUS_INVALID_PARAMETER, 'append at a misaligned end');
    assert.equal(await sizeOf(v, h), 3 * SECTOR + 8, 'nothing appended');
    await mustClose(v, h);
  });
}

describe('non-cached I/O on the memory volume', () => unbufferedSemantics(memoryVolumeFactory()));
describe('non-cached I/O on the local volume', () => unbufferedSemantics(localVolumeFactory()));

/** Descriptors of this process open on `hostPath`: all of them, and those with O_DIRECT (from /proc/self/fdinfo). */
async function descriptorsOn(hostPath: string): Promise<{ all: number; direct: number }> {
  let all = 0;
  let direct = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    try {
      if ((await readlink(`/proc/self/fd/${fd}`)) !== hostPath) continue;
      const flags = /^flags:\s+([0-7]+)$/m.exec(await readFile(`/proc/self/fdinfo/${fd}`, 'utf8'))![1]!;
      all++;
      if ((parseInt(flags, 8) & constants.O_DIRECT) !== 0) direct++;
    } catch {
      // Closed while listed (readdir's own descriptor, for one).
    }
  }
  return { all, direct };
}

const EXT4_SUPER_MAGIC = 0xef53;
const onExt4 = process.platform === 'linux' && (await statfs(tmpdir())).type === EXT4_SUPER_MAGIC;
const hasShm = await stat('/dev/shm').then((s) => s.isDirectory(), () => false);

describe('non-cached I/O on the local volume: the host side', () => {
  volumeTest('on ext4 it goes through one O_DIRECT descriptor, opened on first use and closed with the stream', localVolumeFactory(), async (v) => {
    const hostPath = join(await realpath(v.hostRoot!), 'direct.bin');
    const data = alignedPattern(2 * SECTOR, 8);
    await putFile(v, '\\direct.bin', data);
    const h = await openUnbuffered(v, '\\direct.bin');
    const stream = streamOf(h) as LocalStream;
    assert.equal(stream.directIo, 'unused');
    assert.deepEqual(await descriptorsOn(hostPath), { all: 1, direct: 0 }, 'nothing more before the first non-cached I/O');
    const [low, high] = await Promise.all([0, SECTOR].map((offset) => v.api.read(h, SECTOR, offset, alignedBytes(SECTOR))));
    sameBytes(low!.data, data.subarray(0, SECTOR), 'first sector');
    sameBytes(high!.data, data.subarray(SECTOR), 'second sector');
    assert.equal(stream.directIo, 'direct');
    assert.deepEqual(await descriptorsOn(hostPath), { all: 2, direct: 1 }, 'two first reads at once opened one O_DIRECT descriptor');
    // Misaligned memory: a real O_DIRECT write refuses it (EINVAL), a buffered one would take it.
    const misaligned = alignedBytes(2 * SECTOR).subarray(1, SECTOR + 1);
    expectStatus((await v.api.write(h, misaligned, 0)).status, STATUS_INVALID_PARAMETER, 'write from misaligned memory');
    sameBytes(await getFile(v, '\\direct.bin'), data, 'unchanged by the refused write');
    await mustClose(v, h);
    assert.deepEqual(await descriptorsOn(hostPath), { all: 0, direct: 0 }, 'both descriptors closed with the stream');
    const buffered = await mustOpen(v, '\\direct.bin');
    expectStatus((await v.api.read(buffered, 10, 3)).status, 0);
    assert.equal((streamOf(buffered) as LocalStream).directIo, 'unused', 'a buffered open never opens one');
    await mustClose(v, buffered);
  }, { skip: !onExt4 && 'the temp folder is not on ext4' });

  // Linux 6.6 and later accept O_DIRECT on tmpfs (still through the page cache, alignment unchecked); earlier ones refuse it.
  volumeTest('in a tmpfs folder (/dev/shm) it still works, with or without O_DIRECT', localVolumeFactory(undefined, '/dev/shm'), async (v) => {
    const stream = (await paddedRoundTrip(v, '\\in-shm.bin', 3 * SECTOR + 100)) as LocalStream;
    assert.ok(stream.directIo === 'direct' || stream.directIo === 'refused', stream.directIo);
  }, { skip: !hasShm && 'no /dev/shm' });

  test('where the host refuses O_DIRECT (ramfs), the buffered descriptor serves it with the same results', async (t) => {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) return t.skip('needs root on Linux to mount a ramfs in a private namespace');
    const mountPoint = await mkdtemp(join(tmpdir(), 'strata-ramfs-'));
    try {
      const run = await runRamfsChild(mountPoint);
      if (!run.stdout.startsWith('mounted\n')) return t.skip(`cannot mount a ramfs here: ${run.stderr.trim()}`);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(JSON.parse(run.stdout.slice('mounted\n'.length)), { directIo: 'refused' });
    } finally {
      await rm(mountPoint, { recursive: true, force: true });
    }
  });
});

const RAMFS_CHILD = new URL('./unbuffered-ramfs-child.js', import.meta.url).pathname;

/** unshare(1) gives the child a mount namespace of its own: the ramfs never shows outside, and goes with it. */
function runRamfsChild(mountPoint: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = 'mount -t ramfs strata-test "$1" || exit 97; echo mounted; exec "$2" "$3" "$1"';
  const child = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', mountPoint, process.execPath, RAMFS_CHILD]);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ code: null, stdout: '', stderr: error.message }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('alignedSharedBuffer gives zeroed shared memory of whole 64 KiB pages and names a bad size', () => {
  const buffer = alignedSharedBuffer(2 * 65536);
  assert.ok(buffer instanceof SharedArrayBuffer);
  assert.equal(buffer.byteLength, 2 * 65536);
  assert.ok(new Uint8Array(buffer).every((byte) => byte === 0));
  for (const bad of [0, -65536, 4096, 65537, 1.5 * 65536, Number.NaN]) {
    assert.throws(() => alignedSharedBuffer(bad), (error: unknown) => error instanceof RangeError && error.message.includes(String(bad)), `size ${bad}`);
  }
});
