// The tiers and signature sets a folder policy can refer to, read from the exported policy (the API
// has no separate listing for them), reloaded after the GUI changes one.

import { BUILTIN_SIGNATURE_SET, type PolicyDocument } from '../../../main/api/index.js';
import { useAgent } from './agent-context.js';
import { useLoad, type Loaded } from './use-load.js';

export function usePolicyDocument(): Loaded<PolicyDocument> {
  const { api } = useAgent();
  return useLoad(() => api.exportPolicy({}), [api]);
}

export function signatureSetNames(document: PolicyDocument | undefined): string[] {
  return [BUILTIN_SIGNATURE_SET, ...(document?.signatureSets.map((s) => s.name) ?? [])];
}
