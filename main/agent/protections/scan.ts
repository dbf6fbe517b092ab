// The scanning protection: filters/scan on a folder, with the signature set its policy names, the
// quarantine in the data dir, a reload whenever a database file changes, and the ingest rule for
// infected files other programs drop (the copy is refused by the filter; the original is then removed,
// its content already in quarantine, or only reported).

import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { STATUS_VIRUS_INFECTED } from '../../io/index.js';
import { BUILTIN_SIGNATURE_SET, type EventAction, type EventResult } from '../../api/index.js';
import { registerScanFilter, SCAN_ALTITUDE, ScanEngine, type ScanEvent } from '../../../filters/scan/index.js';
import { sharedQuarantine } from '../quarantine/shared-quarantine.js';
import { quarantineSink } from '../../../filters/scan/quarantine/quarantine-sink.js';
import { mountFolderStack } from '../folder-stack.js';
import { isStrataPath, originalOfIngestTemp } from '../ingest/strata-names.js';
import type { JobSpec } from '../scheduler/scheduler.js';
import { folderRelative, type ProtectionProvider } from './provider.js';

const EVENT_RESULT: Record<ScanEvent['kind'], EventResult> = { 'threat-found': 'infected', blocked: 'refused', quarantined: 'ok', scanned: 'ok', error: 'failed' };
const FOUND_BY: Record<ScanEvent['origin'], string> = {
  write: 'found on write', open: 'found on open', cleanup: 'found on cleanup', media: 'found on media', scan: 'found by a folder scan',
  recovery: 'after an interrupted write',
};
/** The scan filter's undo journals (original content of files being overwritten): in the private data dir, never in a shared temp folder. */
const UNDO_JOURNAL_DIR = 'scan-undo';

export const scanProvider: ProtectionProvider<'scan'> = {
  kind: 'scan',
  defaultAltitude: SCAN_ALTITUDE,
  unavailableReason: null,
  ingests: true,
  async attach(context, protection) {
    const { settings } = protection;
    const paths = databasePaths(settings.signatureSet, context.signatureSet);
    const engine = new ScanEngine();
    await engine.load(paths);
    const quarantine = await sharedQuarantine(context.dataDir, context.store);
    // Paths the filter reports are volume-relative; an ingest copy stands for the file it copies.
    const userPath = (volumePath: string) => originalOfIngestTemp(folderRelative(volumePath));
    const onAccess = { scanOnWrite: true, scanOnOpen: settings.scanOnOpen };
    const scan = registerScanFilter(context.stack.manager, {
      engine,
      altitude: protection.altitude,
      stagingDir: join(context.dataDir, UNDO_JOURNAL_DIR),
      // Volume names change between runs; the folder's id does not, so a crashed run's journals find it again.
      volumeKey: () => `folder:${context.folder.id}`,
      policy: { ...onAccess, action: settings.action, scanRemovableOnMount: false },
      isAllowed: (_volume, path, signature) => context.allowedThreat?.(folderRelative(path), signature) ?? false,
      sink: settings.action === 'quarantine' ? quarantineSink(quarantine, (_volume, path) => join(context.folder.path, userPath(path))) : null,
      onEvent: (event) =>
        context.record({
          action: event.kind as EventAction,
          result: EVENT_RESULT[event.kind],
          path: userPath(event.path),
          detail: [event.signature, FOUND_BY[event.origin], event.detail].filter((part) => part != null).join('; '),
        }),
    });
    const reload: JobSpec[] = paths.length === 0 ? [] : [{
      name: `reload signatures '${settings.signatureSet}'`,
      trigger: { kind: 'file-change', paths, debounceMs: 1000 },
      run: async () => {
        try {
          const set = await engine.load(paths);
          context.record({ action: 'signatures-reloaded', result: 'ok', detail: `${settings.signatureSet}: ${set.databases.length} database(s)` });
        } catch (error) {
          // The engine keeps the previous set: protection never drops to nothing.
          context.record({ action: 'signatures-reloaded', result: 'failed', detail: `${settings.signatureSet}: ${(error as Error).message}; the previous signatures stay in force` });
        }
      },
    }];
    return {
      kind: 'scan',
      altitude: protection.altitude,
      jobs: reload,
      async onIngestRefused(candidate, status) {
        if (status !== STATUS_VIRUS_INFECTED) return null;
        // The filter refused the copy (and kept it in quarantine with the quarantine action); the
        // original other program's file is still there and must not stay.
        await unlink(candidate.absolutePath).catch(() => undefined);
        const action = settings.action === 'quarantine' ? 'quarantined' : 'blocked';
        return { action, detail: `${candidate.relativePath}: infected; the original was removed${action === 'quarantined' ? ' (its content is in quarantine)' : ''}` };
      },
      async scanVolume({ signal, origin, onProgress }) {
        await mountFolderStack(context.stack);
        const result = await scan.scanVolume(context.stack.volumePath, {
          signal,
          origin,
          onProgress: (p) => onProgress({ files: p.files, bytes: p.bytes, infected: p.infected }),
          // Strata's own files (the vault, ingest's copies and holds) are not the user's: ingest judges them.
          skip: isStrataPath,
        });
        return {
          files: result.files,
          bytes: result.bytes,
          infected: result.infected.length,
          threats: result.infected.map((i) => ({ path: folderRelative(i.path), signature: i.signature })),
          skippedOffline: result.skippedOffline,
          errors: result.errors.length,
          cancelled: result.cancelled,
        };
      },
      setPaused(paused) {
        scan.setPolicy(paused ? { scanOnWrite: false, scanOnOpen: false } : onAccess);
      },
      async detach() {
        await Promise.allSettled(scan.pendingMediaScans);
        await scan.unregister();
      },
    };
  },
};

function databasePaths(name: string, find: (name: string) => { paths: string[] } | undefined): string[] {
  if (name.toLowerCase() === BUILTIN_SIGNATURE_SET) return [];
  const set = find(name);
  if (set === undefined) throw new Error(`the signature set '${name}' is not defined`);
  return set.paths;
}

