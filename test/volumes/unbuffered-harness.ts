// Helpers of the non-cached I/O tests (FILE_NO_INTERMEDIATE_BUFFERING): patterned sector-aligned memory,
// non-cached opens, the stream behind a handle, and the round trip every volume must pass on every host
// file system: whole sectors written non-cached (the last one padded), the exact end of file set after,
// the content read back through a buffered and a non-cached open.

import assert from 'node:assert/strict';
import {
  FILE_CREATE, FILE_NO_INTERMEDIATE_BUFFERING, FILE_OPEN, FileInformationClass, UNBUFFERED_ALIGNMENT, alignedSharedBuffer,
  type FileHandle,
} from '../../main/io/index.js';
import type { VolumeFcb } from '../../main/volumes/volume-state.js';
import type { VolumeUnderTest } from './volume-factories.js';
import { expectStatus, getFile, mustClose, mustOpen } from './volume-harness.js';

export const SECTOR = UNBUFFERED_ALIGNMENT;

/** `byteLength` bytes at the start of fresh aligned shared memory. */
export function alignedBytes(byteLength: number): Uint8Array {
  return new Uint8Array(alignedSharedBuffer(Math.max(1, Math.ceil(byteLength / 65536)) * 65536), 0, byteLength);
}

/** Aligned memory numbered from `seed`, no two sectors alike, so that a misplaced sector shows. */
export function alignedPattern(byteLength: number, seed: number): Uint8Array {
  const view = alignedBytes(byteLength);
  for (let i = 0; i < byteLength; i++) view[i] = (i * 7 + seed + Math.floor(i / SECTOR) * 13) & 0xff;
  return view;
}

export function sameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  assert.ok(Buffer.from(actual).equals(Buffer.from(expected)), `${what}: content`);
}

export function openUnbuffered(v: VolumeUnderTest, name: string, disposition = FILE_OPEN): Promise<FileHandle> {
  return mustOpen(v, name, { disposition, options: FILE_NO_INTERMEDIATE_BUFFERING });
}

/** The volume's stream object behind an open (a LocalStream on a local volume). */
export function streamOf(handle: FileHandle): unknown {
  return (handle.fileObject.fsContext as VolumeFcb).stream;
}

/** Writes `size` bytes as padded whole sectors through a non-cached open, trims, checks; returns the writer's stream. */
export async function paddedRoundTrip(v: VolumeUnderTest, name: string, size: number): Promise<unknown> {
  const padded = Math.ceil(size / SECTOR) * SECTOR;
  const data = alignedPattern(padded, 5);
  data.fill(0, size);
  const writer = await openUnbuffered(v, name, FILE_CREATE);
  expectStatus((await v.api.write(writer, data, 0)).status, 0, 'padded non-cached write');
  const trimmed = await v.api.setInformation(writer, FileInformationClass.FileEndOfFileInformation, { endOfFile: size });
  expectStatus(trimmed.status, 0, 'set the exact end of file');
  const stream = streamOf(writer);
  await mustClose(v, writer);
  const expected = data.subarray(0, size);
  sameBytes(await getFile(v, name), expected, 'read back through a buffered open');
  const reader = await openUnbuffered(v, name);
  const read = await v.api.read(reader, padded, 0, alignedBytes(padded));
  expectStatus(read.status, 0, 'non-cached read of the whole file');
  sameBytes(read.data, expected, 'read back through a non-cached open (short at end of file)');
  await mustClose(v, reader);
  return stream;
}
