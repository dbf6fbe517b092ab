// ClamAV target types. Strata scans raw content, which is target 0 ("any file"); signatures for the
// other targets are valid but need parsers Strata does not have, so they are skipped with a notice.

import { parseCount } from './database-lines.js';
import { SkipSignature } from './signature-error.js';

const TARGET_NAMES: Record<number, string> = {
  1: 'PE executables', 2: 'OLE2 documents', 3: 'normalized HTML', 4: 'mail', 5: 'graphics', 6: 'ELF',
  7: 'normalized ASCII text', 9: 'Mach-O', 10: 'PDF', 11: 'Flash', 12: 'Java class', 13: 'internal', 14: 'other',
};

export function checkTarget(text: string): void {
  const target = parseCount(text, 'the target type');
  if (target === 0) return;
  throw new SkipSignature(`target ${target} (${TARGET_NAMES[target] ?? 'unknown'}) is not scanned by Strata`);
}
