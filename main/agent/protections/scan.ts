// The scanning protection: attaches filters/scan to a folder. The scan filter (issue 4) has not landed
// in this build, so the provider refuses to enable it rather than pretend.

import { unavailableProvider } from './unavailable-provider.js';

/** Microsoft's Anti-Virus range is 320000-329999. */
export const scanProvider = unavailableProvider('scan', '325000');
