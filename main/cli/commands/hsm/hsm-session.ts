// The HSM's folder sessions for the CLI (and the tests that drive the same path): filters/hsm's
// openHsmFolder over main/agent's folder stack.

import { openFolderStack } from '../../../agent/folder-stack.js';
import { hostNameOf } from '../../../volumes/index.js';
import { openHsmFolder, type HsmFolderOptions, type HsmFolderSession } from '../../../../filters/hsm/hsm-folder.js';

export type HsmSession = HsmFolderSession;
export type HsmSessionOptions = Omit<HsmFolderOptions, 'openStack'>;

export function openHsmSession(options: HsmSessionOptions): Promise<HsmSession> {
  // The policy's globs match names as the host spells them (the folder is a local volume).
  return openHsmFolder({ ...options, openStack: openFolderStack, hostNameOf });
}

export { resolveFolder } from '../../../../filters/hsm/hsm-folder.js';
