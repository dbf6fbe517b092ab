// `strata hsm ...`: cold-file tiering of protected folders.

import type { GroupCommand } from '../../command.js';
import { fsckCommand } from './fsck.js';
import { migrateCommand } from './migrate.js';
import { pinCommand, unpinCommand } from './pin.js';
import { policyCommand } from './policy.js';
import { recallCommand } from './recall.js';
import { statusCommand } from './status.js';

export const hsmCommand: GroupCommand = {
  name: 'hsm',
  summary: 'cold-file tiering: policy, migrate, recall, pin, unpin, status, fsck',
  subcommands: [policyCommand, migrateCommand, recallCommand, pinCommand, unpinCommand, statusCommand, fsckCommand],
};
