// The encryption protection: attaches filters/crypt to a folder. The crypt filter (issue 3) has not
// landed in this build, so the provider refuses to enable it rather than pretend.

import { unavailableProvider } from './unavailable-provider.js';

/** Microsoft's Encryption range is 140000-149999. */
export const cryptProvider = unavailableProvider('crypt', '141000');
