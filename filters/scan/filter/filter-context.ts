// What every callback of one registered scan filter shares: the filter manager, the engine, the policy,
// where infected content and events go, and the helpers to reach the stream and instance contexts.

import {
  FLT_SET_CONTEXT_KEEP_IF_EXISTS, type FilterManager, type FltContext, type FltFilter, type FltInstance,
} from '../../../main/fltmgr/index.js';
import { NT_SUCCESS, type FileObject } from '../../../main/io/index.js';
import type { ScanEngine } from '../engine/scan-engine.js';
import type { InfectionSink, ScanEvent } from './scan-events.js';
import type { ScanPolicy } from './scan-policy.js';
import { ScanStreamState } from './stream-state.js';
import { UndoJournal } from './undo-journal.js';
import { VerdictCache } from './verdict-cache.js';

export interface ScanFilterContext {
  readonly manager: FilterManager;
  readonly engine: ScanEngine;
  policy: ScanPolicy;
  readonly sink: InfectionSink | null;
  readonly emit: (event: ScanEvent) => void;
  /** A detection the user allowed on this file (a restored quarantine item): treated as clean. */
  readonly isAllowed: (volume: string, path: string, signature: string) => boolean;
  /** Where undo journals are kept: a folder private to this user (staging-dir.ts). */
  readonly stagingDir: string;
  /** A volume's name that stays the same across runs, recorded in its journals (ScanFilterOptions.volumeKey). */
  readonly volumeKey: (volumeName: string) => string;
  /** Recoveries of dead runs' journals still running, per instance: opens on that volume wait for them. */
  readonly recoveries: Map<FltInstance, Promise<void>>;
  /** Set right after registration. */
  filter: FltFilter | null;
}

/**
 * The stream's scan state, referenced (release() it). With `create`, a fresh one is attached when
 * there is none; otherwise null then.
 */
export function streamStateOf(context: ScanFilterContext, instance: FltInstance, fileObject: FileObject, create: boolean): FltContext<ScanStreamState> | null {
  const existing = instance.getStreamContext<ScanStreamState>(fileObject);
  if (existing !== null || !create) return existing;
  const fresh = context.filter!.allocateContext('stream', new ScanStreamState());
  const result = instance.setStreamContext(fileObject, FLT_SET_CONTEXT_KEEP_IF_EXISTS, fresh);
  if (result.oldContext !== null) {
    fresh.release();
    return result.oldContext;
  }
  if (!NT_SUCCESS(result.status)) {
    fresh.release();
    return null;
  }
  return fresh;
}

/** Runs `use` with the stream state (created if asked), releasing the reference afterwards. */
export function withStreamState<T>(context: ScanFilterContext, instance: FltInstance, fileObject: FileObject, create: boolean, use: (state: ScanStreamState | null) => T): T {
  const held = streamStateOf(context, instance, fileObject, create);
  try {
    return use(held?.value ?? null);
  } finally {
    held?.release();
  }
}

/** The instance's verdict cache (its instance context). */
export function verdictCacheOf(instance: FltInstance): VerdictCache {
  const held = instance.getInstanceContext<VerdictCache>();
  if (held === null) return new VerdictCache(0);
  const cache = held.value;
  held.release();
  return cache;
}

/** A new (still empty) undo journal for `name` on `instance`'s volume, whose size before any change is `originalSize`. */
export function newUndoJournal(context: ScanFilterContext, instance: FltInstance, name: string, originalSize: number): UndoJournal {
  return new UndoJournal(context.stagingDir, originalSize, { volume: context.volumeKey(instance.volume.name), path: name });
}

/** Settles when no recovery of dead runs' journals runs on `instance` (at once, mostly). */
export function afterRecovery(context: ScanFilterContext, instance: FltInstance): Promise<void> {
  return context.recoveries.get(instance) ?? Promise.resolve();
}
