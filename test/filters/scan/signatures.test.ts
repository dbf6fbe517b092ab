// The signature formats: .hdb/.hsb, .ndb, .ldb and .cvd/.cld containers, read through the real loader
// from real files. Malformed lines fail with file and line; valid signatures Strata cannot use are
// skipped with a notice; a set loads completely or not at all.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadSignatureDatabases } from '../../../filters/scan/signatures/load-databases.js';
import { parseLogicalExpression } from '../../../filters/scan/signatures/logical-expression.js';
import { SignatureError } from '../../../filters/scan/signatures/signature-error.js';
import { loadSet, tempDir, writeDatabases } from './helpers.js';

const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Asserts that loading rejects with a SignatureError whose message names `file`:`line` and matches `reason`. */
async function assertRejectsAt(load: Promise<unknown>, file: string, line: number | null, reason: RegExp): Promise<void> {
  await assert.rejects(load, (error: unknown) => {
    assert.ok(error instanceof SignatureError, `expected a SignatureError, got ${String(error)}`);
    assert.ok(error.file.endsWith(file), `the error names ${error.file}, expected …${file}`);
    assert.equal(error.line, line);
    assert.match(error.message, reason);
    return true;
  });
}

describe('hash databases (.hdb, .hsb)', () => {
  it('the algorithm follows the digest length: 32 MD5, 40 SHA-1, 64 SHA-256, in either file', async (t) => {
    const set = await loadSet(t, {
      'a.hdb': `${MD5.toUpperCase()}:10:Md5.Sig\n${SHA256}:11:Sha256.In.Hdb\n`,
      'b.hsb': `${SHA1}:12:Sha1.Sig\n${SHA256}:*:Sha256.AnySize:73\n`,
    });
    assert.deepEqual(
      set.hashes.map((h) => [h.name, h.algorithm, h.hash, h.size]),
      [['Md5.Sig', 'md5', MD5, 10], ['Sha256.In.Hdb', 'sha256', SHA256, 11], ['Sha1.Sig', 'sha1', SHA1, 12], ['Sha256.AnySize', 'sha256', SHA256, null]],
    );
  });

  it('a wildcard size needs the minimum functionality level field of at least 73 (as clamscan)', async (t) => {
    const dir = tempDir(t);
    writeDatabases(dir, { 'w.hdb': `${MD5}:5:Fine\n${MD5}:*:NoLevel\n` });
    await assertRejectsAt(loadSignatureDatabases([dir]), 'w.hdb', 2, /size '\*' needs a minimum functionality level/);
  });

  it('a malformed line is reported with its file and line number', async (t) => {
    const dir = tempDir(t);
    writeDatabases(dir, { 'bad.hdb': `${MD5}:5:One\n# a comment\n${MD5.slice(1)}:5:Two\n` });
    await assertRejectsAt(loadSignatureDatabases([dir]), 'bad.hdb', 3, /not an MD5 \(32\), SHA-1 \(40\) or SHA-256 \(64\)/);
    writeDatabases(dir, { 'bad.hdb': `${MD5}:five:One\n` });
    await assertRejectsAt(loadSignatureDatabases([dir]), 'bad.hdb', 1, /size 'five' is not a non-negative integer/);
    writeDatabases(dir, { 'bad.hdb': `${MD5}:5\n` });
    await assertRejectsAt(loadSignatureDatabases([dir]), 'bad.hdb', 1, /expected hash:size:name/);
  });

  it('signatures for other functionality levels are skipped with a notice', async (t) => {
    const set = await loadSet(t, { 'f.hdb': `${MD5}:5:Future:999\n${MD5}:5:Past:1:20\n${MD5}:5:Now:1:255\n` });
    assert.deepEqual(set.hashes.map((h) => h.name), ['Now']);
    assert.equal(set.notices.length, 2);
    assert.match(set.notices[0]!.message, /needs functionality level 999/);
  });
});

describe('body databases (.ndb)', () => {
  it('reads name, offset and pattern of target-0 signatures', async (t) => {
    const set = await loadSet(t, { 'b.ndb': 'Any:0:*:68656c6c6f\nAt:0:10:68656c6c6f\nShift:0:10,5:68656c6c6f\nEof:0:EOF-20:68656c6c6f\nEofShift:0:EOF-20,4:68656c6c6f\n' });
    assert.deepEqual(set.bodies.map((b) => [b.name, b.offset]), [
      ['Any', { kind: 'any' }],
      ['At', { kind: 'absolute', start: 10, shift: 0 }],
      ['Shift', { kind: 'absolute', start: 10, shift: 5 }],
      ['Eof', { kind: 'eof', back: 20, shift: 0 }],
      ['EofShift', { kind: 'eof', back: 20, shift: 4 }],
    ]);
  });

  it('other targets and executable-relative offsets are accepted and skipped with a notice', async (t) => {
    const set = await loadSet(t, { 'b.ndb': 'Pe:1:*:68656c6c6f\nEp:0:EP+10:68656c6c6f\nOk:0:*:68656c6c6f\n' });
    assert.deepEqual(set.bodies.map((b) => b.name), ['Ok']);
    assert.deepEqual(set.notices.map((n) => [n.line, /target 1 \(PE executables\)|relative to an executable/.test(n.message)]), [[1, true], [2, true]]);
  });

  it('splits patterns into chunks at * and {n-}, keeping bounded gaps inside a chunk', async (t) => {
    const set = await loadSet(t, { 'c.ndb': 'C:0:*:6869??6a{2-4}6b6c*6d6e{3-}6f70(71|7273)\n' });
    const chunks = set.bodies[0]!.pattern.chunks;
    assert.equal(chunks.length, 3);
    assert.deepEqual(chunks.map((c) => c.minGapBefore), [0, 0, 3]);
    assert.deepEqual(chunks[0]!.elements.map((e) => e.kind), ['fixed', 'gap', 'fixed']);
    assert.deepEqual(chunks[2]!.elements.map((e) => e.kind), ['fixed', 'alt']);
  });

  it('rejects what clamscan rejects: short patterns, gaps at the ends, bad hex, bad ranges', async (t) => {
    const dir = tempDir(t);
    const cases: Array<[string, RegExp]> = [
      ['6865', /too short: ClamAV needs at least 3 bytes/],
      ['68*64', /part 1 of the pattern is too short/],
      ['6865{-3}6f', /part 2 of the pattern is too short/],
      ['6865*', /ends with a gap/],
      ['*686566', /starts with a gap/],
      ['686x6c6c', /invalid character 'x' at position 3/],
      ['6865{4-2}6c6c', /upper bound below its lower bound/],
      ['6865(6c|6d6', /never closed/],
      ['6869[1-2]6a[1-2]6b6c', /only one \[n-m\]/],
      ['6865[1-2]6c6c6f', /single byte on one side/],
      ['', /the hex pattern is empty|expected name:target/],
    ];
    for (const [pattern, reason] of cases) {
      writeDatabases(dir, { 'p.ndb': `Ok:0:*:616263\nBad:0:*:${pattern}\n` });
      await assertRejectsAt(loadSignatureDatabases([dir]), 'p.ndb', 2, reason);
    }
  });

  it('boundary markers and wildcards inside alternatives are valid ClamAV but skipped with a notice', async (t) => {
    const set = await loadSet(t, { 's.ndb': 'B:0:*:6865(B)6c6c\nW:0:*:6865(6?|6d)6c6c\n' });
    assert.equal(set.bodies.length, 0);
    assert.deepEqual(set.notices.map((n) => n.line), [1, 2]);
  });
});

describe('logical databases (.ldb)', () => {
  it('reads the target description, the expression and offset-carrying subsignatures', async (t) => {
    const set = await loadSet(t, { 'l.ldb': 'L;Engine:51-255,Target:0,FileSize:10-2000;(0|1)>2,2&2=0;68656c6c6f;EOF-10:776f726c64;7a7a7a7a\n' });
    const [sig] = set.logicals;
    assert.equal(sig!.name, 'L');
    assert.deepEqual(sig!.fileSize, { min: 10, max: 2000 });
    assert.deepEqual(sig!.subsignatures.map((s) => s.offset), [{ kind: 'any' }, { kind: 'eof', back: 10, shift: 0 }, { kind: 'any' }]);
  });

  it('& and | share one precedence and group from the right, as in ClamAV: 1&2|0 is 1&(2|0)', () => {
    assert.deepEqual(parseLogicalExpression('1&2|0', 3), {
      kind: 'and', children: [{ kind: 'sub', index: 1 }, { kind: 'or', children: [{ kind: 'sub', index: 2 }, { kind: 'sub', index: 0 }] }],
    });
    assert.deepEqual(parseLogicalExpression('0&1&2', 3), { kind: 'and', children: [0, 1, 2].map((index) => ({ kind: 'sub', index })) });
  });

  it('rejects what clamscan rejects: no Target, FileSize without Engine >= 51, subsignature count mismatch', async (t) => {
    const dir = tempDir(t);
    const cases: Array<[string, RegExp]> = [
      ['L;Engine:51-255;0;68656c6c6f', /has no Target/],
      ['L;Target:0,FileSize:1-9;0;68656c6c6f', /needs Engine:51-255/],
      ['L;Target:0;0&1;68656c6c6f', /subsignature 1 does not exist/],
      ['L;Target:0;0&1|0;68656c6c6f;7a7a7a;797979', /uses subsignatures 0..1 but the line has 3/],
      ['L;Target:0;0&&1;68656c6c6f;7a7a7a', /expected a number/],
      ['L;Target:0;(0|1;68656c6c6f;7a7a7a', /expected '\)'/],
      ['L;Target:0;0;68', /too short/],
      ['L;Target:0,Colour:red;0;68656c6c6f', /unknown target description key 'Colour'/],
    ];
    for (const [line, reason] of cases) {
      writeDatabases(dir, { 'l.ldb': `${line}\n` });
      await assertRejectsAt(loadSignatureDatabases([dir]), 'l.ldb', 1, reason);
    }
  });

  it('PCRE, byte-compare, macro subsignatures, ::i/::w modifiers and other targets are skipped with a notice', async (t) => {
    const set = await loadSet(t, {
      'l.ldb': [
        'Pcre;Engine:81-255,Target:0;0&1;68656c6c6f;0/hel+o/',
        'Nocase;Target:0;0;68656c6c6f::i',
        'Pe;Engine:51-255,Target:1;0;68656c6c6f',
        'Ep;Engine:51-255,Target:0,EntryPoint:10-20;0;68656c6c6f',
        'Ascii;Target:0;0;68656c6c6f::a',
      ].join('\n'),
    });
    assert.deepEqual(set.logicals.map((l) => l.name), ['Ascii']);
    assert.equal(set.notices.length, 4);
  });
});

/** Builds a .cvd with the real tar and gzip: 512-byte header (with the body's MD5), then the tar.gz. */
function buildCvd(dir: string, members: Record<string, string>, options: { corruptMd5?: boolean; gzip?: boolean } = {}): Buffer {
  const staging = join(dir, `staging-${Math.random().toString(36).slice(2)}`);
  mkdirSync(staging);
  for (const [name, content] of Object.entries(members)) writeFileSync(join(staging, name), content);
  const tar = spawnSync('tar', ['-cf', '-', '-C', staging, ...Object.keys(members)]);
  assert.equal(tar.status, 0, String(tar.stderr));
  const body = options.gzip === false ? tar.stdout : spawnSync('gzip', ['-n', '-c'], { input: tar.stdout }).stdout;
  const md5 = options.corruptMd5 ? '0'.repeat(32) : createHash('md5').update(body).digest('hex');
  const header = `ClamAV-VDB:18 Mar 2025 10-00 +0000:27000:3:90:${md5}:dsig:strata-test:1742292000`.padEnd(512, ' ');
  return Buffer.concat([Buffer.from(header, 'latin1'), body]);
}

describe('containers (.cvd, .cld)', () => {
  it('a .cvd made with tar and gzip yields its .hdb, .ndb and .ldb members, and notes the others', async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'daily.cvd'), buildCvd(dir, {
      'daily.hdb': `${MD5}:5:Cvd.Hash\n`,
      'daily.ndb': 'Cvd.Body:0:*:68656c6c6f\n',
      'daily.ldb': 'Cvd.Logic;Target:0;0;776f726c64\n',
      'daily.info': 'DAILY:27000:3\n',
      'COPYING': 'license text\n',
    }));
    const set = await loadSignatureDatabases([join(dir, 'daily.cvd')]);
    assert.deepEqual([set.hashes.length, set.bodies.length, set.logicals.length], [1, 1, 1]);
    assert.deepEqual(set.databases.map((d) => [d.file.slice(dir.length + 1), d.version]).sort(), [
      ['daily.cvd/daily.hdb', 27000], ['daily.cvd/daily.ldb', 27000], ['daily.cvd/daily.ndb', 27000],
    ]);
    assert.ok(set.notices.some((n) => /daily\.info/.test(n.file) && /\.info databases are not read/.test(n.message)));
  });

  it('a .cld may hold a plain tar; a malformed member line is reported inside the container', async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'main.cld'), buildCvd(dir, { 'main.ndb': 'Ok:0:*:68656c6c6f\nBroken:0:*:6\n' }, { gzip: false }));
    await assertRejectsAt(loadSignatureDatabases([join(dir, 'main.cld')]), 'main.cld/main.ndb', 2, /invalid character/);
  });

  it('a .cvd whose body does not match the header MD5, or that is truncated, is refused', async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'bad.cvd'), buildCvd(dir, { 'x.ndb': 'Ok:0:*:68656c6c6f\n' }, { corruptMd5: true }));
    await assertRejectsAt(loadSignatureDatabases([join(dir, 'bad.cvd')]), 'bad.cvd', null, /MD5 is [0-9a-f]{32} but the header says 0{32}/);
    const good = buildCvd(dir, { 'x.ndb': 'Ok:0:*:68656c6c6f\n' });
    writeFileSync(join(dir, 'short.cvd'), good.subarray(0, 300));
    await assertRejectsAt(loadSignatureDatabases([join(dir, 'short.cvd')]), 'short.cvd', null, /shorter than the 512-byte ClamAV-VDB header/);
    writeFileSync(join(dir, 'notcvd.cvd'), Buffer.alloc(600, 0x41));
    await assertRejectsAt(loadSignatureDatabases([join(dir, 'notcvd.cvd')]), 'notcvd.cvd', null, /not a ClamAV \.cvd\/\.cld container/);
  });
});

describe('loading a set', () => {
  it('loads all or nothing: one bad line in one file fails the whole set, naming that file and line', async (t) => {
    const dir = tempDir(t);
    writeDatabases(dir, { 'a.ndb': 'Good:0:*:68656c6c6f\n', 'b.hdb': `${MD5}:5:Good\n`, 'c.ldb': 'Bad;Target:0;0;zz\n' });
    await assertRejectsAt(loadSignatureDatabases([dir]), 'c.ldb', 1, /subsignature 0: invalid character 'z'/);
  });

  it('a folder yields its database files by name and notes ClamAV formats Strata does not read', async (t) => {
    const set = await loadSet(t, { 'a.ndb': 'A:0:*:68656c6c6f\n', 'b.mdb': 'x\n', 'notes.txt': 'not a database\n' });
    assert.deepEqual(set.databases.map((d) => d.file.split('/').pop()), ['a.ndb']);
    assert.equal(set.notices.length, 1);
    assert.match(set.notices[0]!.message, /\.mdb databases are not read/);
  });

  it('a named file with an unknown extension, a missing path, or a binary file is a clear error', async (t) => {
    const dir = tempDir(t);
    writeDatabases(dir, { 'sigs.txt': 'A:0:*:68656c6c6f\n', 'bin.ndb': Uint8Array.of(0, 1, 2, 0xff) });
    await assertRejectsAt(loadSignatureDatabases([join(dir, 'sigs.txt')]), 'sigs.txt', null, /not a database Strata reads/);
    await assertRejectsAt(loadSignatureDatabases([join(dir, 'missing.ndb')]), 'missing.ndb', null, /cannot be read: ENOENT/);
    await assertRejectsAt(loadSignatureDatabases([join(dir, 'bin.ndb')]), 'bin.ndb', null, /NUL bytes/);
  });
});
