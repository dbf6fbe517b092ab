// The `strata tier` and `strata hsm` commands, run for real (bin/strata.js in a child process) on real
// folders, tiers and data dirs: the whole cycle, --json output, clear errors, Ctrl-C during a migration.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { X25519Recipient, encrypt, loadSodium } from '../../../main/age/index.js';
import { createVault } from '../../../filters/crypt/vault/vault.js';
import { hostWrite } from './hsm-rig.js';
import { tempDir } from './temp-dir.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'strata.js');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('STRATA_')) delete env[key];
  return env;
}

function strata(dataDir: string, ...args: string[]): Run {
  const run = spawnSync(process.execPath, [BIN, '--data-dir', dataDir, ...args], { cwd: ROOT, env: cleanEnv(), encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function ok(run: Run): string {
  assert.equal(run.status, 0, `exit ${run.status}: ${run.stderr}`);
  return run.stdout;
}

async function setUp(t: Parameters<typeof tempDir>[0]): Promise<{ data: string; folder: string; cold: string }> {
  const root = await tempDir(t, 'hsmcli');
  const folder = join(root, 'folder');
  await mkdir(folder);
  await hostWrite(folder, 'docs/report.pdf', 'p'.repeat(100_000));
  await hostWrite(folder, 'docs/notes.txt', 'short notes');
  await hostWrite(folder, 'video.mp4', 'v'.repeat(300_000));
  await hostWrite(folder, 'keep/contract.pdf', 'c'.repeat(100_000));
  return { data: join(root, 'data'), folder, cold: join(root, 'cold') };
}

describe('strata tier and strata hsm', () => {
  it('the whole cycle: tier add, policy, dry run, migrate, status, recall, pin, fsck, tier remove', async (t) => {
    const { data, folder, cold } = await setUp(t);
    assert.match(ok(strata(data, 'tier', 'add', 'cold', cold)), /Added tier 'cold' at /);
    assert.match(ok(strata(data, 'tier', 'list')), /cold\tlocal\t.*0 folder\(s\), 0 stub\(s\)/);
    assert.match(ok(strata(data, 'hsm', 'policy', folder, '--tier', 'cold', '--min-size', '1000', '--min-age', '3600', '--exclude', '*.mp4')), /Min size:  1000 B/);

    const dry = ok(strata(data, 'hsm', 'migrate', folder, '--dry-run'));
    assert.match(dry, /would release 2 \(195\.3 KiB\)/);
    assert.match(dry, /skipped docs\/notes\.txt: smaller than the minimum size/);
    assert.match(dry, /skipped video\.mp4: matched by an exclude glob/);
    // stat, not read: reading would count as an access and make the file "recent".
    assert.equal((await stat(join(folder, 'docs/report.pdf'))).size, 100_000, 'a dry run changes nothing');

    assert.match(ok(strata(data, 'hsm', 'pin', folder, 'keep')), /Pinned keep/);
    const migrated = ok(strata(data, 'hsm', 'migrate', folder));
    assert.match(migrated, /released docs\/report\.pdf \(97\.7 KiB\)/);
    assert.doesNotMatch(migrated, /released keep/);
    assert.ok((await readFile(join(folder, 'docs/report.pdf'))).length < 1024, 'a stub is left');

    const status = JSON.parse(ok(strata(data, '--json', 'hsm', 'status', folder))) as Record<string, unknown>;
    assert.equal(status.files, 4);
    assert.equal(status.stubs, 1);
    assert.equal(status.bytesCold, 100_000);
    assert.deepEqual(status.pinned, ['\\keep']);
    assert.match(ok(strata(data, 'hsm', 'status', folder)), /Files:    4 \(1 released as stubs, 3 local\)/);

    assert.match(ok(strata(data, 'hsm', 'fsck', folder)), /1 stub\(s\), 1 cold copy checked; 0 finding\(s\), 0 left/);
    assert.match(ok(strata(data, 'hsm', 'recall', folder, 'docs/report.pdf')), /Recalled docs\/report\.pdf \(97\.7 KiB\)/);
    assert.equal((await readFile(join(folder, 'docs/report.pdf'))).toString(), 'p'.repeat(100_000));
    assert.match(ok(strata(data, 'hsm', 'recall', folder, join(folder, 'docs/report.pdf'))), /already local/);

    ok(strata(data, 'hsm', 'migrate', folder, '--min-age', '0'));
    assert.match(ok(strata(data, 'hsm', 'pin', folder, 'docs/report.pdf')), /Pinned docs\/report\.pdf \(recalled it from the tier first\)/);
    assert.equal((await readFile(join(folder, 'docs/report.pdf'))).length, 100_000);
    assert.match(ok(strata(data, 'hsm', 'unpin', folder, 'keep')), /Unpinned keep/);

    const refused = strata(data, 'tier', 'remove', 'cold');
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /tier 'cold': still in use \(folder policies: /);
  });

  it('in a folder with a vault, plaintext is kept out of the tier (waiting to be encrypted) and age files are released', async (t) => {
    const { data, folder, cold } = await setUp(t);
    const sodium = await loadSodium();
    const { recipient } = await createVault(sodium, folder, 'vault passphrase');
    const ciphertext = encrypt(sodium, [X25519Recipient.parse(sodium, recipient)], new Uint8Array(100_000).fill(1));
    await hostWrite(folder, 'sealed.age', ciphertext);
    ok(strata(data, 'tier', 'add', 'cold', cold));
    ok(strata(data, 'hsm', 'policy', folder, '--tier', 'cold', '--min-size', '1000', '--min-age', '0'));
    const dry = ok(strata(data, 'hsm', 'migrate', folder, '--dry-run'));
    assert.match(dry, /skipped docs\/report\.pdf: waiting to be encrypted/);
    const migrated = ok(strata(data, 'hsm', 'migrate', folder));
    assert.match(migrated, /released sealed\.age/);
    assert.doesNotMatch(migrated, /released (docs|video|keep)/);
    assert.equal((await readFile(join(folder, 'docs/report.pdf'))).toString(), 'p'.repeat(100_000), 'the plaintext stays local');
    assert.ok((await readFile(join(folder, 'sealed.age'))).length < 1024, 'the age file is a stub');
  });

  it('a recall from an unplugged tier fails with a clear message, leaves the stub, and fsck exits 1', async (t) => {
    const { data, folder, cold } = await setUp(t);
    ok(strata(data, 'tier', 'add', 'cold', cold));
    ok(strata(data, 'hsm', 'policy', folder, '--tier', 'cold', '--min-age', '0', '--min-size', '0'));
    ok(strata(data, 'hsm', 'migrate', folder));
    const stub = await readFile(join(folder, 'video.mp4'));
    await rename(cold, `${cold}-unplugged`);
    const recall = strata(data, 'hsm', 'recall', folder, 'video.mp4');
    assert.equal(recall.status, 1);
    assert.match(recall.stderr, /cannot recall 'video\.mp4': \\video\.mp4 is offline: the tier's storage is not available .* \(STATUS_FILE_IS_OFFLINE\)/);
    assert.deepEqual(await readFile(join(folder, 'video.mp4')), stub);
    const fsck = strata(data, 'hsm', 'fsck', folder);
    assert.equal(fsck.status, 1);
    assert.match(fsck.stdout, /PROBLEM  tier-unreachable  cold/);
  });

  it('bad input gets a clear error naming it, and changes nothing', async (t) => {
    const { data, folder, cold } = await setUp(t);
    const noPolicy = strata(data, 'hsm', 'migrate', folder);
    assert.equal(noPolicy.status, 1);
    assert.match(noPolicy.stderr, /has no HSM policy yet; set one with: strata hsm policy .* --tier <name>/);
    const noTier = strata(data, 'hsm', 'policy', folder, '--tier', 'nowhere');
    assert.match(noTier.stderr, /no tier named 'nowhere'/);
    ok(strata(data, 'tier', 'add', 'cold', cold));
    ok(strata(data, 'hsm', 'policy', folder, '--tier', 'cold'));
    const escape = strata(data, 'hsm', 'recall', folder, '../../etc/passwd');
    assert.equal(escape.status, 2);
    assert.match(escape.stderr, /climbs out of the folder/);
    assert.match(strata(data, 'hsm', 'recall', folder, '/etc/passwd').stderr, /is not inside the folder/);
    assert.match(strata(data, 'hsm', 'recall', folder, 'missing.txt').stderr, /there is no 'missing\.txt' in /);
    assert.match(strata(data, 'hsm', 'migrate', folder, '--min-age', '-5').stderr, /--min-age must be a whole number of seconds, got '-5'/);
    assert.match(strata(data, 'hsm', 'status', join(folder, 'nope')).stderr, /folder '.*nope' does not exist/);
    assert.match(strata(data, 'tier', 'add', '../bad', cold).stderr, /a tier name is 1-63 letters/);
    assert.match(strata(data, 'hsm', 'policy', folder, '--include', '[oops').stderr, /--include '\[oops': glob .* never closed/);
    assert.equal((await readFile(join(folder, 'video.mp4'))).length, 300_000);
  });

  it('Ctrl-C stops a migration between files: exit 130, released files stay released, the rest untouched', async (t) => {
    const { data, folder, cold } = await setUp(t);
    const big: Record<string, Buffer> = {};
    await mkdir(join(folder, 'bulk'));
    for (let i = 0; i < 8; i++) {
      big[`bulk/f${i}.bin`] = randomBytes(6 << 20);
      await writeFile(join(folder, `bulk/f${i}.bin`), big[`bulk/f${i}.bin`]!);
    }
    ok(strata(data, 'tier', 'add', 'cold', cold));
    ok(strata(data, 'hsm', 'policy', folder, '--tier', 'cold', '--min-age', '0', '--min-size', '0'));
    const child = spawn(process.execPath, [BIN, '--data-dir', data, 'hsm', 'migrate', folder], { cwd: ROOT, env: cleanEnv() });
    let stdout = '';
    let interrupted = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!interrupted && /released bulk\/f0\.bin/.test(stdout)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 130, stdout);
    assert.match(stdout, /Cancelled: the files released so far stay released/);
    const released = [...stdout.matchAll(/released (bulk\/f\d\.bin)/g)].map((match) => match[1]!);
    assert.ok(released.length < 8, `stopped early (${released.length} released)`);
    for (const [name, content] of Object.entries(big)) {
      const onDisk = await readFile(join(folder, name));
      if (released.includes(name)) assert.ok(onDisk.length < 1024, `${name} is a stub`);
      else assert.ok(onDisk.equals(content), `${name} is untouched`);
    }
    assert.match(ok(strata(data, 'hsm', 'fsck', folder)), /0 finding\(s\), 0 left/);
  });
});
