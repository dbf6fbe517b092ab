// `strata policy export|import|keygen` and the shared parts of a policy (tiers, signature sets, media).

import { resolve } from 'node:path';
import { generateSigningKeys, readTrustedKeyFile, signPolicyDocument } from '../../agent/policy/policy-signing.js';
import { ScanAction } from '../../api/index.js';
import { UsageError } from '../cli-error.js';
import type { GroupCommand, LeafCommand } from '../command.js';
import { withApi } from './agent-session.js';
import { formatImport } from './policy-diff-format.js';
import { aboutPolicyFile, readPolicyFile, writePolicyFile } from './policy-file.js';

const exportCommand: LeafCommand = {
  name: 'export',
  summary: 'write the whole policy to a JSON file (never secrets), optionally signed',
  define: (cmd) => cmd.argument('<file>', 'where to write it').option('--sign <secret-key-file>', 'sign it with this Ed25519 key (see policy keygen)'),
  run: (ctx, { args, options }) =>
    withApi(ctx, async (api) => {
      const file = resolve(String(args[0]));
      let document: Record<string, unknown> = await api.exportPolicy({});
      if (typeof options.sign === 'string') document = await signPolicyDocument(document, resolve(options.sign));
      writePolicyFile(file, document);
      const folders = (document.folders as unknown[]).length;
      return { data: { file, folders, signed: document.signature !== undefined }, text: `exported ${folders} folder(s) to ${file}${document.signature === undefined ? '' : ' (signed)'}` };
    }),
};

const importCommand: LeafCommand = {
  name: 'import',
  summary: 'check a policy file, show its diff (--dry-run) or apply it all at once',
  define: (cmd) =>
    cmd
      .argument('<file>', 'the policy file')
      .option('--dry-run', 'only show what would change')
      .option('--merge', 'add and update what the file names, keep the rest (default)')
      .option('--replace', 'make the policy exactly the file (folders not in it stop being protected)')
      .option('--verify <public-key-file>', 'refuse the file unless its signature verifies with this key'),
  run: (ctx, { args, options }) =>
    withApi(ctx, async (api) => {
      if (options.merge === true && options.replace === true) throw new UsageError('--merge and --replace exclude each other');
      const file = resolve(String(args[0]));
      const document = readPolicyFile(file);
      const verifyWith = typeof options.verify === 'string' ? readTrustedKeyFile(resolve(options.verify)) : undefined;
      const mode = options.replace === true ? 'replace' : 'merge';
      const result = await aboutPolicyFile(file, () => api.importPolicy({ document, mode, dryRun: options.dryRun === true, verifyWith }));
      const verified = result.verifiedWith === undefined ? '' : `signature verified with the key in ${result.verifiedWith.keyFile}\n`;
      return { data: result, text: `${verified}${formatImport(result, mode)}` };
    }),
};

const keygen: LeafCommand = {
  name: 'keygen',
  summary: 'make an Ed25519 key pair for signing policy files',
  define: (cmd) =>
    cmd
      .argument('<secret-key-file>', 'written owner-only; never replaced unless --force')
      .argument('<public-key-file>', 'give this one to whoever imports')
      .option('--force', 'replace key files that already exist (the old secret key is lost)'),
  run: async (_ctx, { args, options }) => {
    const [secret, pub] = [resolve(String(args[0])), resolve(String(args[1]))];
    const { publicKey } = await generateSigningKeys(secret, pub, { replace: options.force === true });
    return { data: { secretKeyFile: secret, publicKeyFile: pub, publicKey }, text: `secret key: ${secret} (keep it private)\npublic key: ${pub}\n  ${publicKey}` };
  },
};

const setTier: LeafCommand = {
  name: 'set-tier',
  summary: 'define (or move) a cold tier for HSM',
  define: (cmd) => cmd.argument('<name>').argument('<dir>', 'where cold copies go'),
  run: (ctx, { args }) =>
    withApi(ctx, async (api) => {
      const tier = await api.setTier({ name: String(args[0]), path: resolve(String(args[1])) });
      return { data: tier, text: `tier '${tier.name}' → ${tier.path}` };
    }),
};

const removeTier: LeafCommand = {
  name: 'remove-tier',
  summary: 'remove a tier no folder uses',
  define: (cmd) => cmd.argument('<name>'),
  run: (ctx, { args }) =>
    withApi(ctx, async (api) => {
      const tier = await api.removeTier({ name: String(args[0]) });
      return { data: tier, text: `removed tier '${tier.name}'` };
    }),
};

const setSignatures: LeafCommand = {
  name: 'set-signatures',
  summary: 'define (or change) a signature set: ClamAV database files or folders',
  define: (cmd) => cmd.argument('<name>').argument('<paths...>', '.hdb .hsb .ndb .ldb .cvd .cld files or folders'),
  run: (ctx, { args }) =>
    withApi(ctx, async (api) => {
      const set = await api.setSignatureSet({ name: String(args[0]), paths: (args[1] as string[]).map((p) => resolve(p)) });
      return { data: set, text: `signature set '${set.name}': ${set.paths.join(', ')}` };
    }),
};

const removeSignatures: LeafCommand = {
  name: 'remove-signatures',
  summary: 'remove a signature set nothing uses',
  define: (cmd) => cmd.argument('<name>'),
  run: (ctx, { args }) =>
    withApi(ctx, async (api) => {
      const set = await api.removeSignatureSet({ name: String(args[0]) });
      return { data: set, text: `removed signature set '${set.name}'` };
    }),
};

const media: LeafCommand = {
  name: 'media',
  summary: 'what happens when removable media are plugged in',
  define: (cmd) =>
    cmd
      .option('--scan-on-mount', 'scan new media (default)')
      .option('--no-scan-on-mount', 'do not scan new media')
      .option('--signatures <set>', 'signature set to scan with')
      .option('--scan-action <action>', 'quarantine | block | report'),
  run: (ctx, { options }) =>
    withApi(ctx, async (api) => {
      const current = (await api.exportPolicy({})).media;
      const parsed = ScanAction.safeParse(options.scanAction ?? current.scan.action);
      if (!parsed.success) throw new UsageError(`--scan-action takes ${ScanAction.options.join(' | ')}, got '${String(options.scanAction)}'`);
      const action = parsed.data;
      const next = await api.setMediaPolicy({
        scanOnMount: options.scanOnMount === undefined ? current.scanOnMount : options.scanOnMount === true,
        scan: { ...current.scan, action, signatureSet: (options.signatures as string | undefined) ?? current.scan.signatureSet },
      });
      return { data: next, text: `media: scan on mount ${next.scanOnMount ? 'on' : 'off'}, signatures '${next.scan.signatureSet}', action ${next.scan.action}` };
    }),
};

export const policyCommand: GroupCommand = {
  name: 'policy',
  summary: 'export, import and sign policies; tiers, signature sets and the media policy',
  subcommands: [exportCommand, importCommand, keygen, setTier, removeTier, setSignatures, removeSignatures, media],
};
