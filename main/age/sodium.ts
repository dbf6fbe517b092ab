// The one libsodium instance the age library uses (libsodium-wrappers-sumo: the non-sumo build lacks
// scrypt and HMAC-SHA256). Callers await loadSodium() once; every other function takes the instance.

import sodiumModule from 'libsodium-wrappers-sumo';

export type Sodium = typeof sodiumModule;

let ready: Promise<Sodium> | null = null;

export function loadSodium(): Promise<Sodium> {
  return (ready ??= sodiumModule.ready.then(() => sodiumModule));
}
