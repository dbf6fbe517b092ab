// A protected folder's ingest pipeline assembled from its real parts, without a protection provider:
// a folder stack with the write tracker and a passthrough filter (to see what went through the
// stack), the ledger in real SQLite, the bounded queue, the settler and the chokidar watcher.

import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { registerPassthrough, type Passthrough } from '../../filters/passthrough/index.js';
import { openFolderStack, type FolderStack } from '../../main/agent/folder-stack.js';
import { stampOf } from '../../main/agent/ingest/file-stamp.js';
import { FolderWatcher } from '../../main/agent/ingest/folder-watcher.js';
import { ingestFile, type IngestOutcome } from '../../main/agent/ingest/ingest-file.js';
import { IngestLedger } from '../../main/agent/ingest/ingest-ledger.js';
import { IngestQueue, type QueueCounters } from '../../main/agent/ingest/ingest-queue.js';
import { HoldJudge } from '../../main/agent/ingest/original-hold.js';
import { registerWriteTracker } from '../../main/agent/ingest/write-tracker.js';
import type { FilterManager } from '../../main/fltmgr/index.js';
import { inProcess, tempDir, type Cleanup } from './agent-fixtures.js';

export interface IngestRig {
  folder: string;
  stack: FolderStack;
  ledger: IngestLedger;
  passthrough: Passthrough;
  queue: IngestQueue;
  watcher: FolderWatcher;
  outcomes: Array<{ path: string; outcome: IngestOutcome }>;
  progress: Array<{ counters: QueueCounters; idle: boolean }>;
  roomCalls: number;
  /** Judges ingest's holds on originals (a short grace, for tests). */
  holds: HoldJudge;
  /** Files whose original was put back: edited while being taken in. */
  restored: string[];
}

export async function ingestRig(t: Cleanup, options: { capacity?: number; concurrency?: number; quietMs?: number; stormThreshold?: number; holdGraceMs?: number; extraSetup?: (manager: FilterManager, folder: string) => void } = {}): Promise<IngestRig> {
  const { api, core } = inProcess(t);
  const folder = tempDir(t, 'strata-ingest-');
  const { id } = await api.addFolder({ path: folder });
  const ledger = new IngestLedger(core.store.db, id);
  let passthrough: Passthrough | undefined;
  const stack = await openFolderStack(folder, {
    verifier: true,
    setup: (manager) => {
      registerWriteTracker(manager, {
        begin: (stream, path) => ledger.beginWrite(stream, path),
        end: (stream, path) => void stat(join(folder, path)).then((s) => ledger.endWrite(stream, stampOf(s), path), () => ledger.endWrite(stream, null, path)),
      });
      passthrough = registerPassthrough(manager);
      options.extraSetup?.(manager, folder);
    },
  });
  const rig = { folder, stack, ledger, passthrough: passthrough!, outcomes: [], progress: [], roomCalls: 0, holds: new HoldJudge(options.holdGraceMs ?? 300), restored: [] } as unknown as IngestRig;
  rig.queue = new IngestQueue({
    capacity: options.capacity ?? 1000,
    concurrency: options.concurrency ?? 4,
    work: async (item, signal) => {
      const outcome = await ingestFile({ root: folder, stack, ledger, protections: () => [] }, item.relativePath, signal);
      rig.outcomes.push({ path: item.relativePath, outcome });
      if (outcome.kind === 'busy') rig.watcher.retryLater(item.relativePath);
      if (outcome.kind === 'ingested') {
        rig.holds.later(outcome.hold, join(folder, item.relativePath), () => {
          rig.restored.push(item.relativePath);
          rig.watcher.retryLater(item.relativePath);
        });
      }
      return outcome.kind !== 'failed';
    },
    onRoom: () => {
      rig.roomCalls++;
      rig.watcher.resume();
    },
    onProgress: (counters, idle) => rig.progress.push({ counters, idle }),
  });
  rig.watcher = new FolderWatcher({
    root: folder,
    quietMs: options.quietMs ?? 100,
    offer: (relativePath) => rig.queue.offer({ folderId: id, relativePath }),
    isOwn: (path, stamp) => ledger.isOwn(path, stamp),
    onRemoved: (path) => ledger.forget(path),
    onError: (error) => {
      throw error;
    },
    isIdle: () => rig.queue.pendingFor(id) === 0,
    stormThreshold: options.stormThreshold,
  });
  await rig.watcher.start();
  t.after(async () => {
    await rig.watcher.stop();
    await rig.queue.stop();
    await rig.holds.flush();
    await stack.close();
  });
  return rig;
}

/** Waits until `condition` holds, polling; fails naming `what` after `timeoutMs`. */
export async function eventually(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
