// The filter manager's public surface for minifilters and the agent.

export * from './flt-constants.js';
export * from './altitude.js';
export * from './registration.js';
export * from './callback-data.js';
export { FltContext, type ContextKind, type SetContextResult } from './context.js';
export { FltInstance, InstanceState } from './instance.js';
export { FltFilter } from './filter.js';
export { FltVolume } from './volume-frame.js';
export { FilterManager } from './filter-manager.js';
export { FltCancelSafeQueue } from './flt-cancel-safe-queue.js';
