// A registered minifilter (FltRegisterFilter's result): its registration table (checked, its callbacks
// copied at registration) and its instances.

import { FltContext, type ContextKind } from './context.js';
import type { FilterManager } from './filter-manager.js';
import type { FltInstance } from './instance.js';
import type { FltOperationRegistration, FltRegistration } from './registration.js';
import { checkRegistration } from './registration-check.js';

export class FltFilter {
  readonly instances = new Set<FltInstance>();
  filtering = false;
  unregistered = false;
  /** IRP_MJ_* -> callbacks, as registered (later changes to the registration object are not seen). */
  private readonly callbacks: readonly (FltOperationRegistration | undefined)[];
  /** The IRP_MJ_* codes the filter has callbacks for. */
  readonly majors: readonly number[];

  /** Throws NtStatusError(STATUS_INVALID_PARAMETER) naming the entry when the registration is malformed. */
  constructor(readonly manager: FilterManager, readonly registration: FltRegistration) {
    const checked = checkRegistration(registration);
    this.callbacks = checked.callbacks;
    this.majors = checked.majors;
  }

  callbacksFor(major: number): FltOperationRegistration | undefined {
    return this.callbacks[major];
  }

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
