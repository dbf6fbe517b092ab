// What the scan filter does, per protected folder: the policy the agent hands it (see main/api's
// ScanSettings) plus the settings only the filter needs. Defaults are the safe ones.

import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from '../archives/archive-limits.js';

/** quarantine: refuse and keep the content encrypted; block: refuse only; report: allow, but tell. */
export type ScanAction = 'quarantine' | 'block' | 'report';

export interface ScanPolicy {
  /** Scan written data as it streams, with a final verdict at cleanup. */
  readonly scanOnWrite: boolean;
  /** Scan a file when it is opened (the verdict is cached while the file is unmodified). */
  readonly scanOnOpen: boolean;
  readonly action: ScanAction;
  /** Read HSM stubs (offline files) to scan them; off, so that scanning never recalls. */
  readonly recallOffline: boolean;
  /** Scan a removable volume's files when the filter attaches to it at mount. */
  readonly scanRemovableOnMount: boolean;
  readonly limits: ArchiveLimits;
}

export const DEFAULT_SCAN_POLICY: ScanPolicy = {
  scanOnWrite: true,
  scanOnOpen: true,
  action: 'quarantine',
  recallOffline: false,
  scanRemovableOnMount: true,
  limits: DEFAULT_ARCHIVE_LIMITS,
};
