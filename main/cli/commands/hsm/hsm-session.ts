// The HSM's folder sessions for the CLI (and the tests that drive the same path): filters/hsm's
// openHsmFolder over main/agent's folder stack.

import { openFolderStack } from '../../../agent/folder-stack.js';
import { openHsmFolder, type HsmFolderOptions, type HsmFolderSession } from '../../../../filters/hsm/hsm-folder.js';

export type HsmSession = HsmFolderSession;
export type HsmSessionOptions = Omit<HsmFolderOptions, 'openStack'>;

export function openHsmSession(options: HsmSessionOptions): Promise<HsmSession> {
  return openHsmFolder({ ...options, openStack: openFolderStack });
}

export { resolveFolder } from '../../../../filters/hsm/hsm-folder.js';
