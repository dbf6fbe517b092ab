// A protected folder with the scan filter on it, for the minifilter tests: a real temp folder behind the
// full filter stack (verifier on), a sink that records what would be quarantined, the events, and
// helpers to write and read through the stack.

import assert from 'node:assert/strict';
import { FILE_OPEN, FILE_OPEN_IF, NT_SUCCESS, STATUS_SUCCESS, type FileHandle, type NTSTATUS } from '../../../main/io/index.js';
import { openFolderStack, type FolderStack } from '../../../main/agent/folder-stack.js';
import { registerScanFilter, type ScanFilter, type ScanFilterOptions } from '../../../filters/scan/index.js';
import type { InfectedContent, ScanEvent } from '../../../filters/scan/index.js';
import { readAll } from '../../../filters/scan/source/byte-source.js';
import { tempDir } from './helpers.js';

export interface QuarantinedItem {
  readonly path: string;
  readonly signature: string;
  readonly content: Uint8Array;
}

export interface ScanRig {
  readonly folder: string;
  /** Where the filter keeps undo journals. */
  readonly stagingDir: string;
  readonly stack: FolderStack;
  readonly scan: ScanFilter;
  readonly events: ScanEvent[];
  readonly quarantined: QuarantinedItem[];
}

export interface ScanRigOptions extends Omit<ScanFilterOptions, 'onEvent' | 'sink' | 'stagingDir'> {
  /** The quarantine refuses everything (a full disk, say). */
  readonly quarantineFails?: boolean;
  /** An existing folder (and staging folder) to use instead of fresh temp ones: a run after another. */
  readonly folder?: string;
  readonly stagingDir?: string;
}

export async function openScanRig(t: { after(fn: () => Promise<void> | void): void }, options: ScanRigOptions = {}): Promise<ScanRig> {
  const folder = options.folder ?? tempDir(t, 'strata-scan-folder-');
  const stagingDir = options.stagingDir ?? tempDir(t, 'strata-scan-staging-');
  const events: ScanEvent[] = [];
  const quarantined: QuarantinedItem[] = [];
  // The sink reads the infected bytes the filter hands over: what a quarantine store would encrypt.
  const sink = {
    async quarantine(item: InfectedContent): Promise<string> {
      if (options.quarantineFails === true) throw new Error('no space left in the quarantine');
      quarantined.push({ path: item.path, signature: item.signature, content: (await readAll(item.content)).slice() });
      return `q${quarantined.length}`;
    },
  };
  let scan: ScanFilter | null = null;
  const stack = await openFolderStack(folder, {
    verifier: true,
    setup: (manager) => {
      const { folder: _folder, quarantineFails: _fails, ...filterOptions } = options;
      scan = registerScanFilter(manager, { ...filterOptions, sink, stagingDir, onEvent: (event) => events.push(event) });
    },
  });
  t.after(() => stack.close());
  return { folder, stagingDir, stack, scan: scan!, events, quarantined };
}

export async function openFile(rig: ScanRig, name: string, disposition = FILE_OPEN_IF): Promise<{ status: NTSTATUS; handle: FileHandle | null }> {
  const result = await rig.stack.api.createFile(rig.stack.pathOf(name), { disposition });
  return { status: result.status, handle: result.handle };
}

export async function mustOpen(rig: ScanRig, name: string, disposition = FILE_OPEN_IF): Promise<FileHandle> {
  const { status, handle } = await openFile(rig, name, disposition);
  assert.equal(status, STATUS_SUCCESS, `open ${name}`);
  return handle!;
}

/** Writes `data` at `offset` in chunks of `chunk` bytes; returns each write's status. */
export async function writeChunks(rig: ScanRig, handle: FileHandle, data: Uint8Array, chunk: number, offset = 0): Promise<NTSTATUS[]> {
  const statuses: NTSTATUS[] = [];
  for (let at = 0; at < data.length; at += chunk) {
    statuses.push((await rig.stack.api.write(handle, data.subarray(at, at + chunk), offset + at)).status);
  }
  return statuses;
}

/** Reads a whole file through the stack. */
export async function readThrough(rig: ScanRig, name: string): Promise<Uint8Array> {
  const handle = await mustOpen(rig, name, FILE_OPEN);
  const parts: Uint8Array[] = [];
  for (let offset = 0; ; ) {
    const read = await rig.stack.api.read(handle, 1 << 20, offset);
    if (!NT_SUCCESS(read.status) || read.information === 0) break;
    parts.push(read.data.slice());
    offset += read.information;
  }
  await rig.stack.api.close(handle);
  return Buffer.concat(parts);
}
