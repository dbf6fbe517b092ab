// Runs a program in a pseudo-terminal (python3's os.openpty) the way a user at a terminal would: it waits for
// each prompt, then types keys, possibly in several writes that the program is made to read one by one (a
// paste reaching it over a slow line); then it returns all the terminal showed, the exit status, and
// whether the terminal's echo and line editing (stty echo icanon) are on once the program has ended.
// test/age/age-cli.ts has a simpler driver (one write per answer, prompts not kept) for the age CLI.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TerminalStep {
  /** Text the terminal must show (since the previous step's keys) before the keys are typed. */
  until: string;
  /** What is typed, in as many writes as parts: the program reads each part before the next is written. */
  keys: readonly (string | Uint8Array)[];
}

export interface TerminalSession {
  code: number;
  /** Everything the terminal showed, prompts included (the keys are not: echo is off at a prompt). */
  terminal: string;
  /** How many steps were typed; the rest waited for text that never came before the program ended. */
  typed: number;
  /** The terminal's modes after the program ended: both on, as a shell needs them. */
  echo: boolean;
  icanon: boolean;
}

// One write is made to land as one read: the program is stopped (SIGSTOP) while the bytes reach the
// terminal's input queue (FIONREAD on the terminal counts them), then continued until it has read them all.
// This orders the reads without timing them.
const DRIVER = `
import fcntl, json, os, signal, struct, sys, termios, time
steps = json.loads(sys.argv[1])
argv = sys.argv[2:]
master, slave = os.openpty()
terminal_name = os.ttyname(slave)
pid = os.fork()
if pid == 0:
    os.close(master)
    os.login_tty(slave)
    os.execvp(argv[0], argv)
os.close(slave)
shown = b''
status = None
def ended():
    global status
    if status is None:
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            status = code
    return status is not None
def read():
    global shown
    try:
        data = os.read(master, 4096)
    except OSError:
        data = b''
    shown += data
    return data
def unread_input():
    fd = os.open(terminal_name, os.O_RDWR | os.O_NOCTTY)
    try:
        return struct.unpack('i', fcntl.ioctl(fd, termios.FIONREAD, b'\\0\\0\\0\\0'))[0]
    finally:
        os.close(fd)
def wait_for(condition):
    while not condition() and not ended():
        time.sleep(0.001)
def type_alone(part):
    os.kill(pid, signal.SIGSTOP)
    before = unread_input()
    os.write(master, part)
    wait_for(lambda: unread_input() >= before + len(part))
    os.kill(pid, signal.SIGCONT)
    wait_for(lambda: unread_input() == 0)
typed = 0
for step in steps:
    until = bytes.fromhex(step['until'])
    start = len(shown)
    while until not in shown[start:]:
        if not read():
            break
    if until not in shown[start:]:
        break
    parts = [bytes.fromhex(part) for part in step['keys']]
    for part in parts[:-1]:
        type_alone(part)
    os.write(master, parts[-1])
    typed += 1
while read():
    pass
if status is None:
    _, status = os.waitpid(pid, 0)
fd = os.open(terminal_name, os.O_RDWR | os.O_NOCTTY)
modes = termios.tcgetattr(fd)[3]
os.close(fd)
print(json.dumps({'code': os.waitstatus_to_exitcode(status), 'terminal': shown.decode('utf-8', 'replace'), 'typed': typed,
                  'echo': bool(modes & termios.ECHO), 'icanon': bool(modes & termios.ICANON)}))
`;

const hex = (part: string | Uint8Array): string => Buffer.from(part).toString('hex');

/** Runs `argv` in a pseudo-terminal, typing each step's keys once its text is shown. */
export async function inTerminalSession(argv: readonly string[], steps: readonly TerminalStep[]): Promise<TerminalSession> {
  const script = JSON.stringify(steps.map((step) => ({ until: hex(step.until), keys: step.keys.map(hex) })));
  const { stdout } = await run('python3', ['-c', DRIVER, script, ...argv], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout) as TerminalSession;
}
