// Start at login on Linux desktops: an XDG autostart entry (~/.config/autostart/strata.desktop, or under
// $XDG_CONFIG_HOME), written atomically so a crash never leaves a half entry that a session would run.

import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const AUTOSTART_FILE_NAME = 'strata.desktop';

export function autostartPath(env: NodeJS.ProcessEnv = process.env): string {
  const configHome = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(env.HOME ?? homedir(), '.config');
  return join(configHome, 'autostart', AUTOSTART_FILE_NAME);
}

/** An Exec= argument quoted as the Desktop Entry spec asks: in double quotes, with \ " ` $ escaped. */
export function quoteExecArgument(arg: string): string {
  if (/^[A-Za-z0-9_./:=+-]+$/.test(arg)) return arg;
  return `"${arg.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`;
}

export function autostartEntry(command: readonly string[]): string {
  if (command.length === 0) throw new Error('the autostart command is empty');
  if (command.some((arg) => /[\n\r\0]/.test(arg))) throw new Error('an autostart argument contains a line break or NUL');
  // A literal % must be doubled in Exec (field codes start with %).
  const exec = command.map((arg) => quoteExecArgument(arg).replace(/%/g, '%%')).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=Strata',
    'Comment=Folder protection: encryption, virus scanning, cold storage',
    `Exec=${exec}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function isAutostartEnabled(path = autostartPath()): boolean {
  try {
    const text = readFileSync(path, 'utf8');
    return !/^Hidden\s*=\s*true\s*$/m.test(text) && !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(text);
  } catch {
    return false;
  }
}

export function setAutostart(enabled: boolean, command: readonly string[], path = autostartPath()): void {
  if (!enabled) {
    rmSync(path, { force: true });
    return;
  }
  const entry = autostartEntry(command); // refuses a bad command before anything is written
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o644);
  try {
    writeSync(fd, entry);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, path);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(temp, { force: true });
    throw error;
  }
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}
