// Prints a command's result: JSON for --json (one document on stdout), text otherwise.
import type { CliIo } from './cli-io.js';
import type { CommandResult } from './command.js';

export function printResult(io: CliIo, json: boolean, result: CommandResult): void {
  if (json && result.data === undefined) return; // the command streamed its own JSON lines
  if (json) {
    io.writeOut(`${JSON.stringify(result.data, null, 2)}\n`);
  } else if (result.text !== '') {
    io.writeOut(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
  }
}
