// Where a passphrase comes from: a file (--passphrase-file, see passphrase-file.ts) or a prompt on the
// terminal with echo off. Never from an argument (it would show in the process list) and never from a pipe
// by default.

import { CliError, EXIT_INTERRUPTED, UsageError } from '../../cli-error.js';
import { readPassphraseFile } from './passphrase-file.js';
import { PassphraseLine, type EndedLine } from './passphrase-line.js';

/**
 * Prompts on the terminal (stderr) and reads a line from stdin without echo (keys: passphrase-line.ts).
 * Keys typed after Enter stay in stdin for the next reader: a paste of "pass⏎pass⏎" answers this prompt
 * and the confirmation after it.
 */
export async function promptPassphrase(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) throw new UsageError('no terminal to ask for the passphrase: pass --passphrase-file <file>');
  // Echo goes off before the prompt appears: an answer typed right after it must not be echoed.
  stdin.setRawMode(true);
  process.stderr.write(prompt);
  let ended: EndedLine;
  try {
    ended = await new Promise<EndedLine>((resolve) => {
      const line = new PassphraseLine();
      const onData = (chunk: Buffer): void => {
        const result = line.feed(chunk);
        if (result === undefined) return;
        stdin.off('data', onData);
        stdin.pause();
        // Put back at the front of stdin's buffer, so the next prompt (or any reader of stdin) reads it first.
        if (result.rest.length > 0) stdin.unshift(result.rest);
        // The prompt's line ends here, while echo is still off: what follows (the next prompt, an error)
        // starts a line of its own, and no key typed ahead can show on this one.
        process.stderr.write('\n');
        resolve(result);
      };
      stdin.on('data', onData);
      stdin.resume();
    });
  } finally {
    stdin.setRawMode(false);
  }
  // Raw mode turns Ctrl-C into a character instead of SIGINT; it ends the command as SIGINT would (status 130).
  if (ended.end === 'interrupt') throw new CliError('cancelled', EXIT_INTERRUPTED);
  // Ctrl-D at an empty prompt: no passphrase was given, like an empty passphrase file (a usage error, status
  // 2); not 130, as no signal was sent.
  if (ended.end === 'end-of-input') throw new UsageError('no passphrase given: the input ended (Ctrl-D) at the prompt');
  return ended.text;
}

export async function passphraseFrom(file: unknown, prompt: string): Promise<string> {
  return typeof file === 'string' ? readPassphraseFile(file) : promptPassphrase(prompt);
}
