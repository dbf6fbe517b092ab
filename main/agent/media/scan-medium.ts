// Scans a removable medium through its filter stack: every file is opened and read through the stack,
// so the scan filter attached to the medium's volume checks it (and blocks or quarantines per policy).
// Counts what was read and what the stack refused; reports progress; stops when cancelled.

import { opendir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { NT_SUCCESS, STATUS_END_OF_FILE, STATUS_VIRUS_INFECTED } from '../../io/index.js';
import type { FolderStack } from '../folder-stack.js';
import { openThroughStack } from '../ingest/stack-file.js';

export interface MediumScanProgress {
  done: number;
  total: number;
  infected: number;
  failed: number;
}

export interface MediumScanResult extends MediumScanProgress {
  cancelled: boolean;
  threats: string[];
}

const CHUNK = 1024 * 1024;

export async function scanMedium(stack: FolderStack, root: string, signal: AbortSignal, onProgress: (progress: MediumScanProgress) => void): Promise<MediumScanResult> {
  const files = await listFiles(root, signal);
  const result: MediumScanResult = { done: 0, total: files.length, infected: 0, failed: 0, cancelled: false, threats: [] };
  const buffer = new Uint8Array(CHUNK);
  for (const file of files) {
    if (signal.aborted) return { ...result, cancelled: true };
    const status = await readThrough(stack, file, buffer);
    if (status === STATUS_VIRUS_INFECTED) {
      result.infected++;
      result.threats.push(file);
    } else if (!NT_SUCCESS(status)) {
      result.failed++;
    }
    result.done++;
    onProgress(result);
  }
  return result;
}

/** Reads the whole file through the stack; returns the first failing status, or success. */
async function readThrough(stack: FolderStack, relativePath: string, buffer: Uint8Array): Promise<number> {
  let handle;
  try {
    handle = await openThroughStack(stack, relativePath);
  } catch (error) {
    return (error as { status?: number }).status ?? -1;
  }
  try {
    for (let offset = 0; ; ) {
      const read = await stack.api.read(handle, buffer.length, offset, buffer);
      if (read.status === STATUS_END_OF_FILE) return 0;
      if (!NT_SUCCESS(read.status)) return read.status;
      if (read.information === 0) return 0;
      offset += read.information;
    }
  } finally {
    await stack.api.close(handle);
  }
}

export function describeScan(result: MediumScanResult): string {
  const parts = [`${result.done}/${result.total} file(s) read`, `${result.infected} infected`, `${result.failed} unreadable`];
  if (result.cancelled) parts.push('cancelled');
  if (result.threats.length > 0) parts.push(`threats: ${result.threats.slice(0, 5).join(', ')}${result.threats.length > 5 ? ', …' : ''}`);
  return parts.join(', ');
}

async function listFiles(root: string, signal: AbortSignal): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await opendir(dir);
    } catch {
      return;
    }
    for await (const entry of entries) {
      if (signal.aborted) return;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) found.push(relative(root, path).split(sep).join('/'));
    }
  };
  await walk(root);
  return found;
}
