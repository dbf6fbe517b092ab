// From a policy as a client writes it to the policy as stored: each protection's altitude defaults to
// its filter's, and every enabled protection must be one this build can provide.

import {
  ApiRequestError, PROTECTION_KINDS, formatJsonPath, policyProblems, type FolderPolicy, type FolderPolicyInput,
  type MediaPolicy, type SignatureSet, type Tier,
} from '../../api/index.js';
import type { ProviderRegistry } from '../protections/provider.js';

export function withDefaultAltitudes(input: FolderPolicyInput, providers: ProviderRegistry): FolderPolicy {
  const policy: Record<string, unknown> = {};
  for (const kind of PROTECTION_KINDS) {
    const protection = input[kind];
    if (protection !== undefined) policy[kind] = { ...protection, altitude: protection.altitude ?? providers[kind].defaultAltitude };
  }
  return policy as FolderPolicy;
}

/** Refuses (code 'unavailable') an enabled protection whose filter this build lacks; `at` prefixes the path. */
export function assertAvailable(policy: FolderPolicy, providers: ProviderRegistry, at: PropertyKey[] = []): void {
  const problems = PROTECTION_KINDS.filter((kind) => policy[kind]?.enabled === true && providers[kind].unavailableReason !== null).map((kind) => ({
    path: formatJsonPath([...at, kind]),
    message: providers[kind].unavailableReason!,
  }));
  if (problems.length > 0) throw new ApiRequestError('unavailable', `${problems[0]!.message} (at ${problems[0]!.path})`, problems[0]!.path, problems);
}

/** Refuses a folder policy that names unknown tiers or signature sets, or repeats an altitude. */
export function assertPolicyFits(policy: FolderPolicy, shared: { tiers: Tier[]; signatureSets: SignatureSet[]; media: MediaPolicy }, at: PropertyKey[]): void {
  const problems = policyProblems({ folders: [{ name: 'x', path: '/x', policy }], ...shared })
    .filter((p) => p.path[0] === 'folders')
    .map((p) => ({ path: formatJsonPath([...at, ...p.path.slice(3)]), message: p.message }));
  if (problems.length > 0) throw new ApiRequestError('invalid-request', `${problems[0]!.message} (at ${problems[0]!.path})`, problems[0]!.path, problems);
}
