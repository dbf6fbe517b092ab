// Shared helpers of the volume tests: one test = one fresh volume, torn down and checked for leaked
// IRPs at the end; status assertions that print NT names; small file helpers over NtFileApi.

import assert from 'node:assert/strict';
import { test, type TestOptions } from 'node:test';
import {
  FILE_OPEN, FILE_OVERWRITE_IF, FileInformationClass, STATUS_NO_MORE_FILES, statusName, type CreateOptions, type FileHandle,
  type FileStandardInformation, type NTSTATUS,
} from '../../main/io/index.js';
import type { VolumeFactory, VolumeUnderTest } from './volume-factories.js';

/** A test on a fresh volume: teardown always runs, and no IRP may be left allocated. */
export function volumeTest(title: string, makeVolume: VolumeFactory, body: (v: VolumeUnderTest) => Promise<void>, options: TestOptions = {}): void {
  test(title, options, async () => {
    const v = await makeVolume();
    try {
      await body(v);
    } finally {
      await v.teardown();
    }
    v.io.assertNoLeakedIrps();
  });
}

export function expectStatus(actual: NTSTATUS, expected: NTSTATUS, what = ''): void {
  assert.equal(statusName(actual), statusName(expected), what);
}

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);
export const decode = (b: Uint8Array): string => new TextDecoder().decode(b);

export function open(v: VolumeUnderTest, name: string, options: CreateOptions = {}) {
  return v.api.createFile(v.volumePath + name, options);
}

/** Opens `name` and fails the test unless it succeeds. */
export async function mustOpen(v: VolumeUnderTest, name: string, options: CreateOptions = {}): Promise<FileHandle> {
  const result = await open(v, name, options);
  expectStatus(result.status, 0, `open ${name}`);
  return result.handle!;
}

export async function mustClose(v: VolumeUnderTest, handle: FileHandle): Promise<void> {
  expectStatus((await v.api.close(handle)).status, 0, 'close');
}

export async function putFile(v: VolumeUnderTest, name: string, data: Uint8Array | string): Promise<void> {
  const handle = await mustOpen(v, name, { disposition: FILE_OVERWRITE_IF });
  const bytes = typeof data === 'string' ? text(data) : data;
  if (bytes.length > 0) expectStatus((await v.api.write(handle, bytes, 0)).status, 0, `write ${name}`);
  await mustClose(v, handle);
}

export async function sizeOf(v: VolumeUnderTest, handle: FileHandle): Promise<number> {
  const result = await v.api.queryInformation(handle, FileInformationClass.FileStandardInformation);
  expectStatus(result.status, 0, 'query standard information');
  return (result.info as FileStandardInformation).endOfFile;
}

export async function readAll(v: VolumeUnderTest, handle: FileHandle): Promise<Uint8Array> {
  const size = await sizeOf(v, handle);
  if (size === 0) return new Uint8Array(0);
  const result = await v.api.read(handle, size, 0);
  expectStatus(result.status, 0, 'read');
  return result.data;
}

export async function getFile(v: VolumeUnderTest, name: string): Promise<Uint8Array> {
  const handle = await mustOpen(v, name, { disposition: FILE_OPEN });
  try {
    return await readAll(v, handle);
  } finally {
    await mustClose(v, handle);
  }
}

export async function listNames(v: VolumeUnderTest, directory: string, pattern: string | null = null): Promise<string[]> {
  const handle = await mustOpen(v, directory, { disposition: FILE_OPEN });
  try {
    const result = await v.api.queryDirectory(handle, pattern);
    if (result.status === STATUS_NO_MORE_FILES) return [];
    expectStatus(result.status, 0, `list ${directory}`);
    return result.info!.map((entry) => entry.fileName);
  } finally {
    await mustClose(v, handle);
  }
}

export async function exists(v: VolumeUnderTest, name: string): Promise<boolean> {
  const result = await open(v, name, { disposition: FILE_OPEN });
  if (result.handle !== null) await mustClose(v, result.handle);
  return result.status === 0;
}
