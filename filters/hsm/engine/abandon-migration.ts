// Rolling a migration back: the original file was never touched, so all that goes is the temporary
// stub (if one was made), the journal entry, and the tier copy unless something else uses that object.

import type { HsmVolume } from '../volume/hsm-volume.js';
import { crashPoint } from '../volume/crash-point.js';

export async function abandonMigration(volume: HsmVolume, journalId: number): Promise<void> {
  const entry = volume.journal.get(journalId);
  if (entry === null) return;
  if (entry.tempName !== null) await volume.io.deleteIfExists(entry.tempName);
  // The row put in just before the rename, if it got that far (and is still this migration's).
  const row = volume.catalog.get(entry.path);
  if (entry.step === 'stub-temp' && row !== null && row.object === entry.object && row.sha256 === entry.sha256) volume.catalog.remove(entry.path);
  if (entry.object !== null) await volume.deleteObjectIfUnused(entry.path, entry.tier, entry.object, journalId);
  crashPoint('abandoned');
  volume.journal.finish(journalId);
}
