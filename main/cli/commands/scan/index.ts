// The scan filter's commands: `strata scan`, `strata sigs`, `strata quarantine`.
import type { CliCommand } from '../../command.js';
import { quarantineCommand } from './quarantine.js';
import { scanCommand } from './scan.js';
import { sigsCommand } from './sigs.js';

export const scanCommands: readonly CliCommand[] = [scanCommand, sigsCommand, quarantineCommand];
