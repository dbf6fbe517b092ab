// A provider for a filter this build does not have: it refuses to attach with a clear reason, so a
// policy can never claim a protection that is not really there.

import { ApiRequestError, type ProtectionKind } from '../../api/index.js';
import type { ProtectionProvider } from './provider.js';

export function unavailableProvider<K extends ProtectionKind>(kind: K, defaultAltitude: string): ProtectionProvider<K> {
  const reason = `the ${kind} filter is not available in this build`;
  return {
    kind,
    defaultAltitude,
    unavailableReason: reason,
    ingests: false,
    attach: () => Promise.reject(new ApiRequestError('unavailable', reason)),
  };
}
