// The one list of `strata` subcommands: a new command is a file in this folder plus one line here.
import type { CliCommand } from '../command.js';
import { statusCommand } from './status.js';
import { vaultCommand } from './vault.js';
import { filesCommand } from './files.js';
import { encryptCommand } from './encrypt.js';
import { agentCommand } from './agent.js';
import { folderCommand } from './folder.js';
import { eventsCommand } from './events.js';
import { policyCommand } from './policy.js';
import { tierCommand } from './tier.js';
import { hsmCommand } from './hsm/index.js';
import { scanCommands } from './scan/index.js';

export const commands: readonly CliCommand[] = [statusCommand, vaultCommand, filesCommand, encryptCommand, agentCommand, folderCommand, eventsCommand, policyCommand, tierCommand, hsmCommand, ...scanCommands];
