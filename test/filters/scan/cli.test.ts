// The scan commands of the real `strata` CLI, spawned with real data dirs: `strata scan` prints and exits
// like clamscan, `strata sigs import|list` manage the databases all or nothing, `strata quarantine
// list|restore|delete` work on what a scan quarantined, and Ctrl-C stops a scan with a partial report.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { EICAR_SIGNATURE_NAME, EICAR_TEST_STRING } from '../../../filters/scan/engine/builtin-signatures.js';
import { seededRandom, tempDir } from './helpers.js';

// Compiled to build/test/filters/scan/, four levels below the package root.
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'strata.js');
const random = seededRandom(555);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function strata(dataDir: string, args: string[]): Run {
  const run = spawnSync(process.execPath, [BIN, '--data-dir', dataDir, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function folderWith(t: Parameters<typeof tempDir>[0], files: Record<string, string | Uint8Array>): string {
  const dir = tempDir(t, 'strata-cli-scan-');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

describe('strata scan', () => {
  it('prints one line per file like clamscan and exits 1 when something is found, 0 when all is clean', (t) => {
    const data = tempDir(t);
    const dir = folderWith(t, { 'a.txt': 'hello world, nothing to see', 'sub/eicar.com': EICAR_TEST_STRING, 'empty.txt': '' });
    const found = strata(data, ['scan', '--no-summary', dir]);
    assert.equal(found.status, 1, found.stderr);
    assert.deepEqual(found.stdout.trim().split('\n'), [`${join(dir, 'a.txt')}: OK`, `${join(dir, 'empty.txt')}: Empty file`, `${join(dir, 'sub', 'eicar.com')}: ${EICAR_SIGNATURE_NAME} FOUND`]);
    const clean = strata(data, ['scan', join(dir, 'a.txt')]);
    assert.equal(clean.status, 0, clean.stderr);
    assert.match(clean.stdout, /Infected files: 0/);
  });

  it('exits 2 when a path cannot be read and nothing was found, naming the path', (t) => {
    const data = tempDir(t);
    const dir = folderWith(t, { 'a.txt': 'fine' });
    const run = strata(data, ['scan', join(dir, 'missing.bin'), join(dir, 'a.txt')]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, new RegExp(`${join(dir, 'missing.bin').replace(/[.\\/]/g, '\\$&')}: No such file or directory ERROR`));
  });

  it('--db uses only the given databases (and --no-builtin drops EICAR); a malformed one is an error naming file and line', (t) => {
    const data = tempDir(t);
    const dir = folderWith(t, { 'x.bin': 'a secret marker inside', 'eicar.com': EICAR_TEST_STRING, 'db/good.ndb': `Strata.Marker:0:*:${Buffer.from('secret marker').toString('hex')}\n`, 'bad/bad.ndb': 'Ok:0:*:616263\nBroken:0:*:zz\n' });
    const run = strata(data, ['scan', '--no-summary', '--no-builtin', '--db', join(dir, 'db'), join(dir, 'x.bin'), join(dir, 'eicar.com')]);
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(run.stdout.trim().split('\n'), [`${join(dir, 'x.bin')}: Strata.Marker FOUND`, `${join(dir, 'eicar.com')}: OK`]);
    const bad = strata(data, ['scan', '--db', join(dir, 'bad'), join(dir, 'x.bin')]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /bad\.ndb:2: invalid character 'z'/);
  });

  it('--json prints one document with the verdicts, counts and rate', (t) => {
    const data = tempDir(t);
    const dir = folderWith(t, { 'eicar.com': EICAR_TEST_STRING, 'b.bin': random.bytes(100_000) });
    const run = strata(data, ['--json', 'scan', dir]);
    assert.equal(run.status, 1, run.stderr);
    const out = JSON.parse(run.stdout) as { files: number; bytes: number; infected: Array<{ path: string; signature: string }>; bytesPerSecond: number };
    assert.equal(out.files, 2);
    assert.equal(out.bytes, 100_000 + EICAR_TEST_STRING.length);
    assert.deepEqual(out.infected.map((i) => [i.path, i.signature]), [[join(dir, 'eicar.com'), EICAR_SIGNATURE_NAME]]);
    assert.ok(out.bytesPerSecond > 0);
  });

  it('Ctrl-C stops a long scan and reports what was scanned, with exit code 2', async (t) => {
    const data = tempDir(t);
    const dir = tempDir(t, 'strata-cli-many-');
    const block = random.bytes(1 << 20);
    for (let i = 0; i < 400; i++) writeFileSync(join(dir, `f${String(i).padStart(4, '0')}.bin`), block);
    const child = spawn(process.execPath, [BIN, '--data-dir', data, 'scan', dir], { cwd: ROOT });
    let stdout = '';
    let signalled = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!signalled && stdout.includes(': OK')) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(status, 2);
    assert.match(stdout, /Scan cancelled: the results above are partial/);
    const scanned = Number(/Scanned files: (\d+)/.exec(stdout)?.[1]);
    assert.ok(scanned >= 1 && scanned < 400, `stopped early after ${scanned} files`);
  });
});

describe('strata sigs', () => {
  it('import copies databases into the data dir, list shows them, and scan uses them by default', (t) => {
    const data = tempDir(t);
    const dir = folderWith(t, { 'db/one.ndb': `One.Sig:0:*:${Buffer.from('first marker').toString('hex')}\nPe.Sig:1:*:4d5a9000\n`, 'db/two.hdb': 'd41d8cd98f00b204e9800998ecf8427e:7:Two.Sig\n', 'target.txt': 'has the first marker' });
    const imported = strata(data, ['sigs', 'import', join(dir, 'db')]);
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(imported.stdout, /imported one\.ndb: 1 signature\(s\), 1 skipped/);
    assert.match(imported.stdout, /note: .*one\.ndb:2: target 1 \(PE executables\)/);
    const list = strata(data, ['--json', 'sigs', 'list']);
    const listed = JSON.parse(list.stdout) as { databases: Array<{ fileName: string; signatures: number }> };
    assert.deepEqual(listed.databases.map((d) => [d.fileName, d.signatures]), [['one.ndb', 1], ['two.hdb', 1]]);
    assert.ok(existsSync(join(data, 'signatures', 'one.ndb')));
    const scan = strata(data, ['scan', '--no-summary', join(dir, 'target.txt')]);
    assert.equal(scan.stdout.trim(), `${join(dir, 'target.txt')}: One.Sig FOUND`);
  });

  it('an import that does not load completely changes nothing, and says which file and line', (t) => {
    const data = tempDir(t);
    const dir = folderWith(t, { 'good/a.ndb': 'A:0:*:616263\n', 'mixed/b.ndb': 'B:0:*:646566\n', 'mixed/c.ldb': 'C;Target:0;0&1;676869\n' });
    assert.equal(strata(data, ['sigs', 'import', join(dir, 'good')]).status, 0);
    const bad = strata(data, ['sigs', 'import', join(dir, 'mixed')]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /nothing was imported: .*c\.ldb:1: .*subsignature 1 does not exist/);
    const listed = JSON.parse(strata(data, ['--json', 'sigs', 'list']).stdout) as { databases: Array<{ fileName: string }> };
    assert.deepEqual(listed.databases.map((d) => d.fileName), ['a.ndb']);
    assert.equal(existsSync(join(data, 'signatures', 'b.ndb')), false);
  });
});

describe('strata quarantine', () => {
  it('scan --quarantine moves infected files in; list, restore (only with --i-know-it-is-infected) and delete', (t) => {
    const data = tempDir(t);
    const dir = folderWith(t, { 'eicar.com': EICAR_TEST_STRING, 'two/eicar2.com': `${EICAR_TEST_STRING}  ` });
    const scan = strata(data, ['scan', '--quarantine', dir]);
    assert.equal(scan.status, 1, scan.stderr);
    assert.match(scan.stdout, /Quarantined: 2/);
    assert.equal(existsSync(join(dir, 'eicar.com')), false);
    const entries = JSON.parse(strata(data, ['--json', 'quarantine', 'list']).stdout) as Array<{ id: string; originPath: string; signature: string }>;
    assert.deepEqual(entries.map((e) => [e.originPath, e.signature]).sort(), [[join(dir, 'eicar.com'), EICAR_SIGNATURE_NAME], [join(dir, 'two', 'eicar2.com'), EICAR_SIGNATURE_NAME]]);
    const first = entries.find((e) => e.originPath.endsWith('eicar.com') && !e.originPath.includes('two'))!;
    const refused = strata(data, ['quarantine', 'restore', first.id]);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /is infected with Eicar-Test-Signature; to restore it anyway, add --i-know-it-is-infected/);
    assert.equal(existsSync(join(dir, 'eicar.com')), false);
    const restored = strata(data, ['quarantine', 'restore', first.id.slice(0, 8), '--i-know-it-is-infected']);
    assert.equal(restored.status, 0, restored.stderr);
    assert.equal(readFileSync(join(dir, 'eicar.com'), 'latin1'), EICAR_TEST_STRING);
    const other = entries.find((e) => e !== first)!;
    assert.equal(strata(data, ['quarantine', 'delete', other.id]).status, 0);
    assert.match(strata(data, ['quarantine', 'list']).stdout, /The quarantine is empty\./);
    const unknown = strata(data, ['quarantine', 'delete', 'abcdef']);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /nothing in quarantine has the id abcdef/);
  });
});
