// The tiering protection: attaches filters/hsm to a folder. The HSM filter (issue 5) has not landed in
// this build, so the provider refuses to enable it rather than pretend.

import { unavailableProvider } from './unavailable-provider.js';

/** Microsoft's HSM range is 180000-189999. */
export const hsmProvider = unavailableProvider('hsm', '185000');
