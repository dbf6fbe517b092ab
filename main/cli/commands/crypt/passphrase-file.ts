// A passphrase from --passphrase-file. A regular file gives its first line, every time it is read. A pipe
// (/dev/stdin fed by `printf 'old\nnew\n' | strata vault passwd … --passphrase-file /dev/stdin
// --new-passphrase-file /dev/stdin`, a FIFO, `<(…)`) gives its next line to each passphrase asked, and
// what follows that line stays in the pipe for the next reader: it is read a byte at a time, as a shell's
// `read` reads a pipe, since bytes read past the newline could not be put back. A terminal is refused: it
// would show the passphrase as it is typed (the prompt, without --passphrase-file, turns echo off).

import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { isatty } from 'node:tty';
import { UsageError } from '../../cli-error.js';

/** The longest line taken from a pipe or device before giving up (/dev/zero has no newline). */
const MAX_PIPED_LINE_BYTES = 64 * 1024;
const LF = 0x0a;

export async function readPassphraseFile(path: string): Promise<string> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw cannotRead(path, error);
  }
  try {
    if ((await handle.stat()).isFile()) return firstLine(path, await handle.readFile('utf8'));
    if (isatty(handle.fd)) {
      throw new UsageError(`the passphrase file ${path} is a terminal, which would show the passphrase as it is typed: leave out the option to be asked with echo off`);
    }
    return await nextLine(path, handle);
  } catch (error) {
    throw error instanceof UsageError ? error : cannotRead(path, error);
  } finally {
    await handle.close();
  }
}

function cannotRead(path: string, error: unknown): UsageError {
  return new UsageError(`cannot read the passphrase file ${path}: ${(error as Error).message}`);
}

function firstLine(path: string, text: string): string {
  const line = text.split(/\r?\n/)[0] ?? '';
  if (line === '') {
    throw new UsageError(text === '' ? `the passphrase file ${path} is empty (its first line is the passphrase)` : `the first line of the passphrase file ${path} is empty (the first line is the passphrase)`);
  }
  return line;
}

async function nextLine(path: string, handle: FileHandle): Promise<string> {
  const line = Buffer.alloc(MAX_PIPED_LINE_BYTES);
  let length = 0;
  let ended = false;
  while (length < line.length) {
    const { bytesRead } = await handle.read(line, length, 1, null);
    if (bytesRead === 0) {
      ended = true;
      break;
    }
    if (line[length] === LF) break;
    length += 1;
  }
  if (length === line.length) throw new UsageError(`the passphrase file ${path} has no line end in its first ${MAX_PIPED_LINE_BYTES} bytes: it is not a passphrase`);
  if (ended && length === 0) {
    throw new UsageError(`the passphrase file ${path} ended before a passphrase line (a pipe gives its next line to each passphrase asked)`);
  }
  const text = line.toString('utf8', 0, length).replace(/\r$/, '');
  if (text === '') throw new UsageError(`the next line of the passphrase file ${path} is empty (a pipe gives its next line to each passphrase asked)`);
  return text;
}
