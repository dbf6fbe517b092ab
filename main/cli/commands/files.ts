// `strata files put|cat|ls|rm <folder> …`: plaintext access to a protected folder through the full filter
// stack (what is written lands encrypted; what is read comes back decrypted).

import type { Command } from 'commander';
import { open } from 'node:fs/promises';
import { toVolumeRelative } from '../../agent/folder-stack.js';
import {
  FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_ENCRYPTED, FILE_ATTRIBUTE_REPARSE_POINT, FILE_DIRECTORY_FILE, FILE_NON_DIRECTORY_FILE, FILE_OPEN,
  FileInformationClass, NT_SUCCESS, STATUS_END_OF_FILE, type FileHandle, type NTSTATUS,
} from '../../io/index.js';
import { hostNameOf } from '../../volumes/index.js';
import { CliError, EXIT_INTERRUPTED } from '../cli-error.js';
import type { CliContext, CommandResult, GroupCommand, LeafCommand } from '../command.js';
import { openCryptFolder, type CryptFolder, type KeyNeed } from './crypt/crypt-folder.js';
import { PutError, putFile } from './crypt/put-file.js';
import { describeStatus } from './crypt/status-text.js';

const IO_SIZE = 1 << 20;

const withFolder = (cmd: Command, path: 'required' | 'optional'): void => {
  cmd.argument('<folder>', 'the protected folder');
  cmd.argument(path === 'required' ? '<path>' : '[path]', 'a path inside the folder');
  cmd.option('--passphrase-file <file>', 'unlock with the passphrase in <file> instead of the unlock session');
};

function fail(path: string, what: string, status: NTSTATUS): never {
  // An empty path is the folder itself: the message shows it as '/' rather than as nothing.
  throw new CliError(`${what} ${path === '' ? '/' : path}: ${describeStatus(status)}`);
}

async function using<T>(ctx: CliContext, folder: unknown, passphraseFile: unknown, work: (crypt: CryptFolder) => Promise<T>, keyNeed: KeyNeed = 'required'): Promise<T> {
  const crypt = await openCryptFolder(ctx, folder, passphraseFile, keyNeed);
  try {
    return await work(crypt);
  } finally {
    await crypt.close();
  }
}

async function openFile(crypt: CryptFolder, path: string, disposition: number, options = FILE_NON_DIRECTORY_FILE, what = 'cannot open'): Promise<FileHandle> {
  const opened = await crypt.stack.api.createFile(crypt.stack.pathOf(toVolumeRelative(path)), { disposition, options });
  if (!NT_SUCCESS(opened.status)) fail(path, what, opened.status);
  return opened.handle!;
}

/** The bytes to put, as a stream: the file (opened now, so a missing one fails before anything is written), or standard input. */
async function openSource(source: unknown): Promise<AsyncIterable<Uint8Array>> {
  if (typeof source !== 'string') return process.stdin;
  try {
    return (await open(source)).createReadStream();
  } catch (error) {
    throw new CliError(`cannot read ${source}: ${(error as Error).message}`);
  }
}

const put: LeafCommand = {
  name: 'put',
  summary: 'write a file into the folder (from <source>, or standard input), stored encrypted; missing folders are created, and a put that fails leaves the old file as it was',
  define: (cmd) => {
    withFolder(cmd, 'required');
    cmd.argument('[source]', 'the file to copy in (default: standard input)');
  },
  async run(ctx, { args, options }) {
    const [folder, path, source] = args as [string, string, string | undefined];
    const data = await openSource(source);
    return using(ctx, folder, options.passphraseFile, async (crypt) => {
      let bytes: number;
      try {
        bytes = await putFile(crypt.stack, path, data);
      } catch (error) {
        if (error instanceof PutError) fail(error.path, error.what, error.status);
        throw error;
      }
      return { data: { path, bytes }, text: `${path}: ${bytes} bytes written, encrypted` };
    });
  },
};

/** A command on one file of the folder: `strata files <name> <folder> <path>`. */
function onFile(name: string, summary: string, work: (crypt: CryptFolder, path: string, ctx: CliContext) => Promise<CommandResult>): LeafCommand {
  return {
    name,
    summary,
    define: (cmd) => withFolder(cmd, 'required'),
    run(ctx, { args, options }) {
      const [folder, path] = args as [string, string];
      return using(ctx, folder, options.passphraseFile, (crypt) => work(crypt, path, ctx));
    },
  };
}

/** Writes to standard output; resolves once it takes more, or as soon as Ctrl-C asks to stop. */
function writeOut(data: Uint8Array, signal: AbortSignal): Promise<void> {
  if (process.stdout.write(data)) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      process.stdout.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    process.stdout.once('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}

// The file's bytes are the output, with --json too: a JSON summary after them would corrupt the copy.
const cat = onFile('cat', 'print a file of the folder, decrypted (its bytes only, with --json too)', async (crypt, path, ctx) => {
  const handle = await openFile(crypt, path, FILE_OPEN);
  let total = 0;
  try {
    for (;;) {
      if (ctx.signal.aborted) throw new CliError(`interrupted: ${path} was printed up to byte ${total} only`, EXIT_INTERRUPTED);
      const result = await crypt.stack.api.read(handle, IO_SIZE, total);
      if (result.status === STATUS_END_OF_FILE) break;
      if (!NT_SUCCESS(result.status)) fail(path, 'cannot read', result.status);
      await writeOut(result.data, ctx.signal);
      total += result.information;
    }
  } finally {
    await crypt.stack.api.close(handle);
  }
  return { data: undefined, text: '' };
});

interface ListedEntry {
  name: string;
  directory: boolean;
  reparse: boolean;
  size: number;
  encrypted: boolean;
}

/** One line of `files ls`: what the entry is, its size, its name. */
function listingLine(entry: ListedEntry): string {
  if (entry.reparse) {
    const [what, note] = entry.directory ? ['dir link', 'link, not followed'] : ['link/pipe', 'link, named pipe, socket or device: not opened'];
    return `${what.padEnd(11)}${'-'.padStart(12)}  ${entry.name} (${note})`;
  }
  const what = entry.directory ? 'dir' : entry.encrypted ? 'encrypted' : 'plain';
  return `${what.padEnd(11)}${String(entry.size).padStart(12)}  ${entry.name}${entry.directory ? '/' : ''}`;
}

const ls: LeafCommand = {
  name: 'ls',
  summary: 'list a folder: plaintext sizes, which files are encrypted, and the links, pipes and devices Strata leaves alone (needs no key: works while the vault is locked)',
  define: (cmd) => withFolder(cmd, 'optional'),
  async run(ctx, { args, options }) {
    const [folder, path] = args as [string, string | undefined];
    return using(ctx, folder, options.passphraseFile, async (crypt) => {
      const handle = await openFile(crypt, path ?? '', FILE_OPEN, FILE_DIRECTORY_FILE);
      const entries: ListedEntry[] = [];
      try {
        for (let restart = true; ; restart = false) {
          const listed = await crypt.stack.api.queryDirectory(handle, null, restart);
          if (!NT_SUCCESS(listed.status)) break;
          for (const entry of listed.info ?? []) {
            const directory = (entry.fileAttributes & FILE_ATTRIBUTE_DIRECTORY) !== 0;
            // A link, named pipe, socket or device: neither followed nor opened, so it has no size here.
            const reparse = (entry.fileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) !== 0;
            entries.push({
              name: hostNameOf(entry.fileName), directory, reparse, size: directory || reparse ? 0 : entry.endOfFile,
              encrypted: (entry.fileAttributes & FILE_ATTRIBUTE_ENCRYPTED) !== 0,
            });
          }
        }
      } finally {
        await crypt.stack.api.close(handle);
      }
      return { data: entries, text: entries.map(listingLine).join('\n') };
    }, 'unless-locked');
  },
};

const rm = onFile('rm', 'delete a file of the folder', async (crypt, path) => {
  const handle = await openFile(crypt, path, FILE_OPEN, FILE_NON_DIRECTORY_FILE, 'cannot delete');
  const marked = await crypt.stack.api.setInformation(handle, FileInformationClass.FileDispositionInformation, { deleteFile: true });
  const closed = await crypt.stack.api.close(handle);
  if (!NT_SUCCESS(marked.status)) fail(path, 'cannot delete', marked.status);
  if (!NT_SUCCESS(closed.status)) fail(path, 'cannot delete', closed.status);
  return { data: { path, deleted: true }, text: `${path}: deleted` };
});

export const filesCommand: GroupCommand = {
  name: 'files',
  summary: 'read and write the files of an encrypted folder through Strata',
  subcommands: [put, cat, ls, rm],
};
