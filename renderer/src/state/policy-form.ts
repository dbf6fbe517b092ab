// A folder policy as the form edits it (text for numbers and pattern lists) and back. The defaults
// come from the API schemas themselves; a number that is not one is reported at the same JSON path
// the agent would use, so local and remote problems land on the same field.

import {
  CryptSettings, HsmSettings, ScanSettings, type ApiProblem, type FolderPolicy, type FolderPolicyInput, type ScanAction,
} from '../../../main/api/index.js';

export interface PolicyForm {
  crypt: { enabled: boolean; vault: string; autoLockMinutes: string };
  scan: { enabled: boolean; signatureSet: string; scanOnOpen: boolean; action: ScanAction };
  hsm: { enabled: boolean; tier: string; minAgeDays: string; minSizeMiB: string; include: string; exclude: string; everyMinutes: string };
}

export type PolicyFromForm = { ok: true; policy: FolderPolicyInput } | { ok: false; problems: ApiProblem[] };

const MIB = 1024 * 1024;
const PLACEHOLDER = 'x'; // only to let the schema fill in the other defaults

export function newPolicyForm(): PolicyForm {
  const crypt = CryptSettings.parse({ vault: PLACEHOLDER });
  const scan = ScanSettings.parse({});
  const hsm = HsmSettings.parse({ tier: PLACEHOLDER });
  return {
    crypt: { enabled: false, vault: '', autoLockMinutes: String(crypt.autoLockMinutes) },
    scan: { enabled: false, signatureSet: scan.signatureSet, scanOnOpen: scan.scanOnOpen, action: scan.action },
    hsm: {
      enabled: false, tier: '', minAgeDays: String(hsm.minAgeDays), minSizeMiB: String(hsm.minSizeBytes / MIB),
      include: hsm.include.join('\n'), exclude: hsm.exclude.join('\n'), everyMinutes: String(hsm.everyMinutes),
    },
  };
}

export function policyForm(policy: FolderPolicy): PolicyForm {
  const form = newPolicyForm();
  const { crypt, scan, hsm } = policy;
  if (crypt) form.crypt = { enabled: crypt.enabled, vault: crypt.settings.vault, autoLockMinutes: String(crypt.settings.autoLockMinutes) };
  if (scan) form.scan = { enabled: scan.enabled, ...scan.settings };
  if (hsm) {
    const s = hsm.settings;
    form.hsm = {
      enabled: hsm.enabled, tier: s.tier, minAgeDays: String(s.minAgeDays), minSizeMiB: String(s.minSizeBytes / MIB),
      include: s.include.join('\n'), exclude: s.exclude.join('\n'), everyMinutes: String(s.everyMinutes),
    };
  }
  return form;
}

/**
 * The policy to send. A protection switched off that the folder had before is kept, disabled, with its
 * settings and altitude (the API replaces the whole policy, so leaving it out would delete it).
 */
export function policyFromForm(form: PolicyForm, before?: FolderPolicy): PolicyFromForm {
  const problems: ApiProblem[] = [];
  const number = (text: string, path: string): number => {
    const value = Number(text.trim());
    if (text.trim() === '' || !Number.isFinite(value)) problems.push({ path, message: 'enter a number' });
    return value;
  };
  const at = (kind: string, field: string) => `$.policy.${kind}.settings.${field}`;
  const policy: FolderPolicyInput = {};
  const keep = (kind: 'crypt' | 'scan' | 'hsm', enabled: boolean) => enabled || before?.[kind] !== undefined;
  const altitude = (kind: 'crypt' | 'scan' | 'hsm') => (before?.[kind] ? { altitude: before[kind].altitude } : {});

  if (keep('crypt', form.crypt.enabled)) {
    policy.crypt = {
      enabled: form.crypt.enabled, ...altitude('crypt'),
      settings: { vault: form.crypt.vault.trim(), autoLockMinutes: number(form.crypt.autoLockMinutes, at('crypt', 'autoLockMinutes')) },
    };
  }
  if (keep('scan', form.scan.enabled)) {
    const { enabled, ...settings } = form.scan;
    policy.scan = { enabled, ...altitude('scan'), settings };
  }
  if (keep('hsm', form.hsm.enabled)) {
    const h = form.hsm;
    policy.hsm = {
      enabled: h.enabled, ...altitude('hsm'),
      settings: {
        tier: h.tier.trim(),
        minAgeDays: number(h.minAgeDays, at('hsm', 'minAgeDays')),
        minSizeBytes: Math.round(number(h.minSizeMiB, at('hsm', 'minSizeBytes')) * MIB),
        include: lines(h.include),
        exclude: lines(h.exclude),
        everyMinutes: number(h.everyMinutes, at('hsm', 'everyMinutes')),
      },
    };
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, policy };
}

function lines(text: string): string[] {
  return text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
}
