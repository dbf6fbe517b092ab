// The tiering protection: filters/hsm on a folder. The policy's tier is made known to the HSM's own tier
// table (created on first use; a tier the HSM knows at another place is an error, never a silent move),
// the folder's HSM policy is written from the agent's under the HSM's own (exact-case) name for the
// tier, and migration runs on the policy's schedule.

import { statusName, type NTSTATUS } from '../../io/index.js';
import { mountFolderStack } from '../folder-stack.js';
import type { HsmSettings } from '../../api/index.js';
import { HSM_ALTITUDE, registerHsmFilter, type HsmEvent } from '../../../filters/hsm/index.js';
import { setFolderPolicy } from '../../../filters/hsm/catalog/folder-policy.js';
import { migrateFolder, type MigrationSummary } from '../../../filters/hsm/engine/migrate-folder.js';
import { loadOrCreateStubKey } from '../../../filters/hsm/stub/stub-key.js';
import { addTier } from '../../../filters/hsm/tier/tier-config.js';
import type { Store } from '../../store/index.js';
import { hostNameOf } from '../../volumes/index.js';
import { coldStorageControl } from './cold-storage-control.js';
import { bindingFor, movedTierMessage } from './hsm-tier-binding.js';
import { folderRelative, type ProtectionContext, type ProtectionProvider } from './provider.js';
import { STRATA_NAME_GLOBS } from '../ingest/strata-names.js';

const DAY_SECONDS = 24 * 3600;

export const hsmProvider: ProtectionProvider<'hsm'> = {
  kind: 'hsm',
  defaultAltitude: HSM_ALTITUDE,
  unavailableReason: null,
  ingests: false,
  async attach(context, protection) {
    // The folder may name its tier in any case; the HSM (its stubs, its tier marker) knows one exact name.
    const tier = await ensureTier(context.store, protection.settings.tier, context.tier(protection.settings.tier));
    const settings = { ...protection.settings, tier };
    const folder = setFolderPolicy(context.store.db, context.folder.path, {
      tier: settings.tier,
      minAgeSeconds: settings.minAgeDays * DAY_SECONDS,
      // Strata reads files itself (ingest, scans on open, crypt's header probes in listings), which moves
      // access times: in a protected folder only the modification time says a file is cold.
      ageBasis: 'modification',
      minSize: settings.minSizeBytes,
      include: settings.include,
      // Strata's own files (a vault's key, temporary copies) never go to a tier.
      exclude: [...settings.exclude, ...STRATA_NAME_GLOBS],
    });
    const stubKey = await loadOrCreateStubKey(context.dataDir);
    const { stack } = context;
    // The latest failure per path, so an explicit recall can say what the filter said.
    const failures = new Map<string, Extract<HsmEvent, { message: string }>>();
    const hsm = registerHsmFilter(stack.manager, {
      db: context.store.db,
      stubKey,
      altitude: protection.altitude,
      // Content another protection of the folder has yet to take in (plaintext waiting to be encrypted)
      // stays local: its only cold copy would be that plaintext, passed over by ingest as Strata's own stub.
      contentGate: context.coldContentGate,
      // Include and exclude globs are written for the names the user sees on the host ('Q3:*'), not for the
      // local volume's mapped spelling of names NT forbids.
      hostNameOf,
      events: (event) => {
        if (event.kind === 'recall-failed' || event.kind === 'stub-invalid') failures.set(event.path, event);
        if (event.kind === 'recall-done') failures.delete(event.path);
        recordHsmEvent(context, event);
      },
    });
    hsm.assign(stack.volumePath, folder);
    // Attached to a volume already mounted (a policy changed while the agent ran): attach now.
    const mounted = stack.manager.getVolume(stack.volumePath);
    if (mounted !== undefined) stack.manager.attachInstance(hsm.filter, mounted);
    const volume = async () => {
      let found = hsm.volumeFor(stack.volumePath);
      if (found === undefined) {
        // Not mounted yet: the first open mounts it, and the HSM recovers what an earlier run left.
        await mountFolderStack(stack);
        found = hsm.volumeFor(stack.volumePath);
      }
      if (found === undefined) throw new Error(`the HSM filter is not attached to ${context.folder.path}`);
      await found.ready;
      return found;
    };
    return {
      kind: 'hsm',
      altitude: protection.altitude,
      jobs: [{
        name: 'HSM migration',
        trigger: { kind: 'every', intervalMs: settings.everyMinutes * 60_000, jitter: 0.2 },
        run: (signal) => runMigration(context, settings, volume, signal),
      }],
      coldStorage: coldStorageControl({ stack, tier: settings.tier, volume, lastFailure: (path) => failures.get(path) }),
      async detach() {
        await hsm.idle();
        await hsm.filter.unregister();
      },
    };
  },
};

/** One migration run: every released file is an event, progress goes to the event stream. */
async function runMigration(context: ProtectionContext, settings: HsmSettings, volumeOf: () => Promise<Parameters<typeof migrateFolder>[0]>, signal: AbortSignal): Promise<void> {
  const volume = await volumeOf();
  const id = `migration:${context.folder.id}`;
  const label = `migrating cold files of ${context.folder.name} to ${settings.tier}`;
  const summary = await migrateFolder(volume, {
    signal,
    onProgress: (p) => context.progress({ id, kind: 'migration', label, done: p.done, total: p.total, failed: 0, finished: false }),
    onFile: (outcome) => {
      if (outcome.result === 'released') context.record({ action: 'migrated', result: 'ok', path: folderRelative(outcome.path), detail: `${outcome.size} bytes to tier ${settings.tier}` });
      if (outcome.result === 'failed') context.record({ action: 'migrated', result: 'failed', path: folderRelative(outcome.path), detail: `${outcome.status}: ${outcome.reason}` });
    },
  });
  context.progress({ id, kind: 'migration', label, done: summary.released, total: summary.eligible, failed: summary.failed, finished: true });
  context.record({ action: 'job-run', result: summary.failed > 0 ? 'failed' : 'ok', detail: `HSM migration: ${summary.examined} examined, ${summary.released} released (${summary.bytesReleased} bytes), ${summary.skipped} skipped${heldBack(summary.files)}, ${summary.failed} failed${summary.cancelled ? ', cancelled' : ''}` });
}

/** ' (2 waiting to be encrypted)': the files the content gate kept local, counted by reason; '' for none. */
function heldBack(files: MigrationSummary['files']): string {
  const counts = new Map<string, number>();
  for (const file of files) if (file.result === 'skipped' && file.heldBack === true) counts.set(file.reason, (counts.get(file.reason) ?? 0) + 1);
  return counts.size === 0 ? '' : ` (${[...counts].map(([reason, count]) => `${count} ${reason}`).join(', ')})`;
}

/**
 * The HSM keeps its own tier table; the agent's policy says where each tier is. Answers the HSM's name
 * for the tier: the one it already knows at that place (in whatever case), or the policy's, added now.
 */
async function ensureTier(store: Store, reference: string, tier: { name: string; path: string } | undefined): Promise<string> {
  if (tier === undefined) throw new Error(`the tier '${reference}' is not defined`);
  const { here, elsewhere } = bindingFor(store.db, tier);
  if (here !== undefined) return here.name;
  // The policy service refuses such a move; this is the last guard (a store changed by an older version).
  if (elsewhere !== undefined) throw new Error(movedTierMessage(elsewhere, tier.path));
  try {
    return (await addTier(store.db, tier.name, tier.path)).name;
  } catch (error) {
    // Another folder's protection attaching at the same time may have added it first.
    const again = bindingFor(store.db, tier).here;
    if (again !== undefined) return again.name;
    throw error;
  }
}

function recordHsmEvent(context: ProtectionContext, event: HsmEvent): void {
  const path = folderRelative(event.path);
  switch (event.kind) {
    case 'recall-done':
      context.record({ action: 'recalled', result: 'ok', path, detail: `${event.size} bytes` });
      break;
    case 'recall-failed':
    case 'stub-invalid':
      context.record({ action: event.kind === 'recall-failed' ? 'recalled' : 'error', result: 'failed', path, detail: `${statusName(event.status as NTSTATUS)}: ${event.message}` });
      break;
    case 'recovered':
      context.record({ action: 'job-run', result: 'ok', path, detail: `${event.journal} ${event.action} after a crash: ${event.detail}` });
      break;
    case 'warning':
      context.record({ action: 'error', result: 'failed', path, detail: event.message });
      break;
    default:
      break; // recall start and progress are not worth a log entry each
  }
}
