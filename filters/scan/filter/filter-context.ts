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
import { VerdictCache } from './verdict-cache.js';

export interface ScanFilterContext {
  readonly manager: FilterManager;
  readonly engine: ScanEngine;
  policy: ScanPolicy;
  readonly sink: InfectionSink | null;
  readonly emit: (event: ScanEvent) => void;
  /** A detection the user allowed on this file (a restored quarantine item): treated as clean. */
  readonly isAllowed: (volume: string, path: string, signature: string) => boolean;
  /** Where undo journals are kept (private temp files). */
  readonly stagingDir: string;
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
