// A registered minifilter (FltRegisterFilter's result): its registration table and its instances.

import { FltContext, type ContextKind } from './context.js';
import type { FilterManager } from './filter-manager.js';
import type { FltInstance } from './instance.js';
import type { FltRegistration } from './registration.js';

export class FltFilter {
  readonly instances = new Set<FltInstance>();
  filtering = false;
  unregistered = false;

  constructor(readonly manager: FilterManager, readonly registration: FltRegistration) {}

  get name(): string {
    return this.registration.name;
  }
  get altitude(): string {
    return this.registration.altitude;
  }

  /** FltAllocateContext: the caller holds the one reference; set it on an owner, then release it. */
  allocateContext<T>(kind: ContextKind, value: T): FltContext<T> {
    return new FltContext(kind, value, () => this.registration.contextCleanup?.(value, kind));
  }

  /** FltStartFiltering: attach to every mounted volume now and to every volume mounted later. */
  startFiltering(): void {
    this.manager.startFiltering(this);
  }

  /** FltUnregisterFilter: tear down every instance (draining their operations), then forget the filter. */
  unregister(): Promise<void> {
    return this.manager.unregisterFilter(this);
  }
}
