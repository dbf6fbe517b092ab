// Drives the Debian `age` CLI for interop tests. Passphrases are typed into a pseudo-terminal (python3's
// pty module), because age reads them only from a terminal, never from a pipe.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs `age` and returns its standard output as bytes (age writes no -o file for an empty result). */
export async function ageCli(args: readonly string[]): Promise<Uint8Array> {
  const { stdout } = await run('age', [...args], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  return new Uint8Array(stdout);
}

// Waits for each "passphrase" prompt on the terminal, types the next answer, then drains the terminal.
const PTY_DRIVER = `
import os, pty, sys
answers = [a.encode() for a in sys.argv[2].split('\\n')] if sys.argv[2] else []
argv = sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
seen = b''
def read():
    try:
        return os.read(fd, 1024)
    except OSError:
        return b''
for answer in answers:
    while seen.lower().count(b'passphrase') < 1:
        data = read()
        if not data:
            break
        seen += data
    seen = b''
    os.write(fd, answer + b'\\n')
while True:
    data = read()
    if not data:
        break
    sys.stderr.buffer.write(data)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
`;

/** Runs `argv` in a pseudo-terminal, answering each passphrase prompt with the next of `answers`. */
export async function inTerminal(argv: readonly string[], answers: readonly string[]): Promise<{ code: number; terminal: string }> {
  try {
    const { stderr } = await run('python3', ['-c', PTY_DRIVER, 'pty', answers.join('\n'), ...argv], { encoding: 'utf8' });
    return { code: 0, terminal: stderr };
  } catch (error) {
    const failure = error as { code?: number; stderr?: string };
    return { code: typeof failure.code === 'number' ? failure.code : -1, terminal: failure.stderr ?? '' };
  }
}
