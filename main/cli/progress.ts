// Progress for long commands (encrypt in place, scans, migrations): a one-line bar on stderr when it is
// a terminal, redrawn at most every 100 ms; nothing when stderr is not a terminal or --json is set.

import type { CliIo } from './cli-io.js';

export interface ProgressState {
  /** What is being done ("encrypting", "scanning"). */
  label: string;
  done: number;
  total?: number;
  bytes?: number;
  totalBytes?: number;
  /** The item in hand, e.g. a file path. */
  current?: string;
}

export interface ProgressBar {
  update(state: ProgressState): void;
  /** Clears the bar line. */
  finish(): void;
}

const REDRAW_MS = 100;
const WIDTH = 24;

export function createProgressBar(io: CliIo, options: { enabled: boolean; isTty?: boolean }): ProgressBar {
  const visible = options.enabled && (options.isTty ?? process.stderr.isTTY === true);
  let last = 0;
  let drawn = false;
  const started = Date.now();
  return {
    update(state) {
      if (!visible) return;
      const now = Date.now();
      if (now - last < REDRAW_MS && state.done !== state.total) return;
      last = now;
      drawn = true;
      io.writeErr(`\r\x1b[2K${renderProgress(state, (now - started) / 1000)}`);
    },
    finish() {
      if (visible && drawn) io.writeErr('\r\x1b[2K');
    },
  };
}

/** One line: label, bar, counts, bytes and rate, and the current item (shortened). */
export function renderProgress(state: ProgressState, elapsedSeconds: number): string {
  const parts = [state.label];
  if (state.total !== undefined && state.total > 0) {
    const ratio = Math.min(1, state.done / state.total);
    const filled = Math.round(ratio * WIDTH);
    parts.push(`[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${state.done}/${state.total}`);
  } else {
    parts.push(`${state.done}`);
  }
  if (state.bytes !== undefined) {
    const rate = elapsedSeconds > 0 ? state.bytes / elapsedSeconds : 0;
    parts.push(`${formatBytes(state.bytes)}${state.totalBytes !== undefined ? `/${formatBytes(state.totalBytes)}` : ''} ${formatBytes(rate)}/s`);
  }
  if (state.current !== undefined) parts.push(state.current.length > 40 ? `…${state.current.slice(-39)}` : state.current);
  return parts.join('  ');
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
