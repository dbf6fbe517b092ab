// Where a passphrase comes from: a file (--passphrase-file, first line) or a prompt on the terminal with
// echo off. Never from an argument (it would show in the process list) and never from a pipe by default.

import { readFile } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { CliError, EXIT_INTERRUPTED, UsageError } from '../../cli-error.js';

export async function readPassphraseFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the passphrase file ${path}: ${(error as Error).message}`);
  }
  const line = text.split(/\r?\n/)[0] ?? '';
  if (line === '') {
    throw new UsageError(text === '' ? `the passphrase file ${path} is empty (its first line is the passphrase)` : `the first line of the passphrase file ${path} is empty (the first line is the passphrase)`);
  }
  return line;
}

/** Prompts on the terminal (stderr) and reads a line from stdin without echo. */
export async function promptPassphrase(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) throw new UsageError('no terminal to ask for the passphrase: pass --passphrase-file <file>');
  // Echo goes off before the prompt appears: an answer typed right after it must not be echoed.
  stdin.setRawMode(true);
  stdin.resume();
  process.stderr.write(prompt);
  try {
    return await new Promise<string>((resolve, reject) => {
      let answer = '';
      // Bytes arrive as the terminal sends them: a character pasted over a slow line may be split between two
      // chunks. The decoder keeps the first bytes of such a character until the rest comes, where decoding each
      // chunk alone would turn both halves into U+FFFD (a passphrase nobody could type again).
      const decoder = new StringDecoder('utf8');
      const onData = (chunk: Buffer): void => {
        for (const char of decoder.write(chunk)) {
          if (char === '\r' || char === '\n') {
            stdin.off('data', onData);
            process.stderr.write('\n');
            resolve(answer);
            return;
          }
          if (char === '\u0003') {
            stdin.off('data', onData);
            // The prompt's line ends here, so the error starts a line of its own. Raw mode turns Ctrl-C into this
            // character instead of SIGINT; it ends the command as SIGINT would (status 130), not as a usage error.
            process.stderr.write('\n');
            reject(new CliError('cancelled', EXIT_INTERRUPTED));
            return;
          }
          // Backspace removes the last character typed, not the last UTF-16 unit: an emoji is two of them, and
          // removing one would leave half of it in a passphrase nobody could type again.
          if (char === '\u007f' || char === '\b') answer = Array.from(answer).slice(0, -1).join('');
          else answer += char;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
  }
}

export async function passphraseFrom(file: unknown, prompt: string): Promise<string> {
  return typeof file === 'string' ? readPassphraseFile(file) : promptPassphrase(prompt);
}
