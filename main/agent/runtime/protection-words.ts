// The protections' names in the agent's own messages ("Virus scanning is not on for Downloads").

import type { ProtectionKind } from '../../api/index.js';

export const PROTECTION_NAMES_IN_WORDS: Record<ProtectionKind, string> = {
  crypt: 'Encryption',
  scan: 'Virus scanning',
  hsm: 'Cold storage',
};
