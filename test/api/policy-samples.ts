// A valid policy document exercising every field, and the list of ways to break each field (with the
// JSON path the error must name): shared by the schema tests and the end-to-end import tests.

import type { PolicyDocument } from '../../main/api/index.js';

export function validDocument(root = '/srv/strata'): PolicyDocument & { folders: Array<Required<Pick<PolicyDocument['folders'][number], 'policy'>> & PolicyDocument['folders'][number]> } {
  return {
    format: 'strata-policy',
    version: 1,
    exportedAt: '2025-06-01T10:00:00.000Z',
    folders: [
      {
        name: 'Documents',
        path: `${root}/documents`,
        policy: {
          crypt: { enabled: false, altitude: '141000', settings: { vault: 'home', autoLockMinutes: 15 } },
          scan: { enabled: false, altitude: '325000', settings: { signatureSet: 'clamav', scanOnOpen: true, action: 'quarantine' } },
          hsm: { enabled: false, altitude: '185000', settings: { tier: 'cold', minAgeDays: 30, minSizeBytes: 1048576, include: ['**'], exclude: ['*.tmp'], everyMinutes: 60 } },
        },
      },
      { name: 'Photos', path: `${root}/photos`, policy: {} },
    ],
    tiers: [{ name: 'cold', path: `${root}-cold` }],
    signatureSets: [{ name: 'clamav', paths: [`${root}-signatures/main.cvd`] }],
    media: { scanOnMount: true, scan: { signatureSet: 'clamav', scanOnOpen: true, action: 'block' } },
  };
}

type Doc = ReturnType<typeof validDocument>;
export interface Mutation {
  path: string;
  why: string;
  mutate: (doc: Doc) => void;
}

const set = (path: string, why: string, mutate: (doc: Doc) => void): Mutation => ({ path, why, mutate });
const f0 = (doc: Doc) => doc.folders[0]!;
const crypt = (doc: Doc) => f0(doc).policy.crypt!;
const scan = (doc: Doc) => f0(doc).policy.scan!;
const hsm = (doc: Doc) => f0(doc).policy.hsm!;
const any = (value: unknown) => value as never;

/** Each field of the valid document made wrong, one at a time. */
export function fieldMutations(): Mutation[] {
  return [
    set('$.format', 'another format', (d) => (d.format = any('strata-backup'))),
    set('$.version', 'a future version', (d) => (d.version = any(2))),
    set('$.exportedAt', 'not a time', (d) => (d.exportedAt = 'yesterday')),
    set('$.folders', 'not a list', (d) => (d.folders = any({}))),
    set('$.folders[0].name', 'empty name', (d) => (f0(d).name = '')),
    set('$.folders[0].name', 'control character', (d) => (f0(d).name = 'a\u0007b')),
    set('$.folders[0].path', 'relative path', (d) => (f0(d).path = 'documents')),
    set('$.folders[0].path', 'dot-dot', (d) => (f0(d).path = '/srv/../etc')),
    set('$.folders[0].path', 'a number', (d) => (f0(d).path = any(42))),
    set('$.folders[0].policy', 'null policy', (d) => (f0(d).policy = any(null))),
    set('$.folders[0].policy.vpn', 'unknown protection', (d) => ((f0(d).policy as Record<string, unknown>).vpn = {})),
    set('$.folders[0].extra', 'unknown folder field', (d) => ((f0(d) as Record<string, unknown>).extra = 1)),
    set('$.folders[0].policy.crypt.enabled', 'enabled as a string', (d) => (crypt(d).enabled = any('yes'))),
    set('$.folders[0].policy.crypt.altitude', 'altitude not a number', (d) => (crypt(d).altitude = 'high')),
    set('$.folders[0].policy.crypt.altitude', 'altitude as a number', (d) => (crypt(d).altitude = any(141000))),
    set('$.folders[0].policy.crypt.settings.vault', 'vault with a slash', (d) => (crypt(d).settings.vault = '../key')),
    set('$.folders[0].policy.crypt.settings.autoLockMinutes', 'negative auto-lock', (d) => (crypt(d).settings.autoLockMinutes = -1)),
    set('$.folders[0].policy.crypt.settings.passphrase', 'a secret smuggled in', (d) => ((crypt(d).settings as Record<string, unknown>).passphrase = 'hunter2')),
    set('$.folders[0].policy.scan.settings.action', 'unknown action', (d) => (scan(d).settings.action = any('delete'))),
    set('$.folders[0].policy.scan.settings.scanOnOpen', 'scanOnOpen as a number', (d) => (scan(d).settings.scanOnOpen = any(1))),
    set('$.folders[0].policy.scan.settings.signatureSet', 'empty set name', (d) => (scan(d).settings.signatureSet = '')),
    set('$.folders[0].policy.hsm.settings.tier', 'tier missing', (d) => delete (hsm(d).settings as { tier?: string }).tier),
    set('$.folders[0].policy.hsm.settings.minAgeDays', 'negative age', (d) => (hsm(d).settings.minAgeDays = -3)),
    set('$.folders[0].policy.hsm.settings.minSizeBytes', 'fractional size', (d) => (hsm(d).settings.minSizeBytes = 1.5)),
    set('$.folders[0].policy.hsm.settings.include[0]', 'absolute glob', (d) => (hsm(d).settings.include = ['/etc/*'])),
    set('$.folders[0].policy.hsm.settings.exclude[0]', 'glob with ..', (d) => (hsm(d).settings.exclude = ['../*'])),
    set('$.folders[0].policy.hsm.settings.everyMinutes', 'zero interval', (d) => (hsm(d).settings.everyMinutes = 0)),
    set('$.tiers[0].name', 'tier name with a space', (d) => (d.tiers[0]!.name = 'cold storage')),
    set('$.tiers[0].name', 'tier name longer than the HSM records', (d) => (d.tiers[0]!.name = 'a'.repeat(64))),
    set('$.tiers[0].path', 'relative tier path', (d) => (d.tiers[0]!.path = 'cold')),
    set('$.signatureSets[0].name', 'a set named builtin', (d) => (d.signatureSets[0]!.name = 'builtin')),
    set('$.signatureSets[0].paths', 'a set with no files', (d) => (d.signatureSets[0]!.paths = [])),
    set('$.signatureSets[0].paths[0]', 'a relative database path', (d) => (d.signatureSets[0]!.paths = ['main.cvd'])),
    set('$.media.scanOnMount', 'scanOnMount as a string', (d) => (d.media.scanOnMount = any('true'))),
    set('$.media.scan.action', 'unknown media action', (d) => (d.media.scan.action = any('ignore'))),
    set('$.signature.algorithm', 'another signature algorithm', (d) => ((d as Record<string, unknown>).signature = { algorithm: 'rsa', publicKey: 'A'.repeat(44), value: 'A'.repeat(88) })),
    set('$.signature.value', 'a short signature', (d) => ((d as Record<string, unknown>).signature = { algorithm: 'ed25519', publicKey: `${'A'.repeat(43)}=`, value: 'AAAA' })),
  ];
}
