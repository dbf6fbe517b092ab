// Interop with the real clamscan: on a generated database (.ndb with every wildcard and offset form,
// .ldb, .hdb and .hsb) and a generated corpus (clean files, planted signatures, near misses, hashed
// files, zip / tar.gz / nested archives), `clamscan -d` and Strata must give every file the same
// verdict and signature name. The 44 Debian clamav-testfiles are counted against a one-line .hdb.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { randomBodySignature, randomLogicalSignature, seededRandom, type PlantableSignature, type Random } from '../../../bench/scan-corpus.js';
import { scanContent } from '../../../filters/scan/archives/content-scanner.js';
import { CompiledDatabase } from '../../../filters/scan/engine/compiled-database.js';
import { loadSignatureDatabases } from '../../../filters/scan/signatures/load-databases.js';
import { openFileSource } from '../../../filters/scan/source/file-source.js';
import { tarArchive, zipArchive } from './archive-builders.js';
import { tempDir } from './helpers.js';

const TESTFILES = '/usr/share/clamav-testfiles';
/** Strata's detections among the Debian test files; raise it when a format is added, never lower it. */
const TESTFILES_DETECTED_AT_LEAST = 8;

function requireClamscan(): void {
  const probe = spawnSync('clamscan', ['--version'], { encoding: 'utf8' });
  assert.equal(probe.status, 0, 'clamscan is needed for the interop tests (Debian package clamav; .ci/run installs it)');
}

/** clamscan's verdict per file: the signature name without ".UNOFFICIAL", or null for OK. */
function clamscanVerdicts(dbPath: string, files: readonly string[]): Map<string, string | null> {
  const run = spawnSync('clamscan', ['--no-summary', '--stdout', '-d', dbPath, ...files], { encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.ok(run.status === 0 || run.status === 1, `clamscan failed (${run.status}): ${run.stderr}`);
  const verdicts = new Map<string, string | null>();
  for (const line of run.stdout.split('\n')) {
    const found = /^(.*): (\S+?)(?:\.UNOFFICIAL)? FOUND$/.exec(line);
    const clean = /^(.*): OK$/.exec(line);
    if (found) verdicts.set(found[1]!, found[2]!);
    else if (clean) verdicts.set(clean[1]!, null);
  }
  assert.equal(verdicts.size, files.length, `clamscan answered for ${verdicts.size} of ${files.length} files:\n${run.stdout}\n${run.stderr}`);
  return verdicts;
}

async function strataVerdicts(db: CompiledDatabase, files: readonly string[]): Promise<Map<string, string | null>> {
  const verdicts = new Map<string, string | null>();
  for (const file of files) {
    const source = await openFileSource(file);
    try {
      verdicts.set(file, (await scanContent(db, source)).detection?.name ?? null);
    } finally {
      await source.close();
    }
  }
  return verdicts;
}

interface Corpus {
  files: string[];
  dbDir: string;
}

/** Data of `size` bytes (at least what `signature` needs), with it planted. */
function planted(random: Random, signature: PlantableSignature | null, size: number): Uint8Array {
  const data = random.bytes(signature === null ? size : Math.max(size, signature.minSize + 16));
  signature?.plant(data, random);
  return data;
}

function generateCorpus(dir: string, seed: number): Corpus {
  const random = seededRandom(seed);
  const bodies = Array.from({ length: 60 }, (_, i) => randomBodySignature(random, `Strata.Agree.Ndb-${i}`));
  const logicals = Array.from({ length: 12 }, (_, i) => randomLogicalSignature(random, `Strata.Agree.Ldb-${i}`));
  const hashLines = { hdb: [] as string[], hsb: [] as string[] };
  const corpusDir = join(dir, 'corpus');
  const dbDir = join(dir, 'db');
  mkdirSync(corpusDir);
  mkdirSync(dbDir);
  const files: string[] = [];
  const add = (name: string, data: Uint8Array): void => {
    const path = join(corpusDir, name);
    writeFileSync(path, data);
    files.push(path);
  };
  const member = (i: number): Uint8Array => {
    const size = 64 + random.int(8000);
    if (i % 3 === 0) return planted(random, bodies[random.int(bodies.length)]!, size);
    if (i % 3 === 1) return planted(random, logicals[random.int(logicals.length)]!, size);
    return planted(random, null, size);
  };
  for (let i = 0; i < 150; i++) {
    const size = 64 + random.int(20000);
    switch (i % 8) {
      case 0:
        add(`clean-${i}.bin`, planted(random, null, size));
        break;
      case 1:
      case 2:
        add(`ndb-${i}.bin`, planted(random, bodies[(i * 7) % bodies.length]!, size));
        break;
      case 3:
        add(`ldb-${i}.bin`, planted(random, logicals[i % logicals.length]!, size));
        break;
      case 4: {
        // A near miss: the pattern's bytes, but wherever the offset does not allow them.
        const data = planted(random, null, size);
        const instance = bodies[(i * 3) % bodies.length]!.instance(random);
        data.set(instance, 1 + random.int(data.length - instance.length - 1));
        add(`near-${i}.bin`, data);
        break;
      }
      case 5: {
        const data = planted(random, null, size);
        const kind = (i >> 3) % 3;
        const algorithm = ['md5', 'sha1', 'sha256'][kind]!;
        const digest = createHash(algorithm).update(data).digest('hex');
        if (kind === 0) hashLines.hdb.push(`${digest}:${data.length}:Strata.Agree.Hash-${i}`);
        else hashLines.hsb.push(`${digest}:${kind === 1 ? data.length : '*'}:Strata.Agree.Hash-${i}${kind === 1 ? '' : ':73'}`);
        add(`hash-${i}.bin`, data);
        break;
      }
      case 6: {
        const members = [{ name: 'a.bin', data: member(i) }, { name: 'dir/b.bin', data: member(i + 1) }];
        const forms = [
          (): Uint8Array => zipArchive(members, 'deflate'),
          (): Uint8Array => zipArchive(members, 'stored'),
          (): Uint8Array => tarArchive(members, true),
          (): Uint8Array => tarArchive([{ name: 'inner.zip', data: zipArchive(members) }], true),
          (): Uint8Array => zipArchive([{ name: 'inner.tar.gz', data: tarArchive(members, true) }, { name: 'c.bin', data: member(i + 2) }]),
        ];
        add(`archive-${i}.${['zip', 'zip', 'tar.gz', 'zip.tar.gz', 'nested.zip'][(i >> 3) % forms.length]}`, forms[(i >> 3) % forms.length]!());
        break;
      }
      default: {
        // A hashed file inside an archive: clamscan hashes members too.
        const data = planted(random, null, size);
        hashLines.hdb.push(`${createHash('md5').update(data).digest('hex')}:${data.length}:Strata.Agree.Member-${i}`);
        add(`hashed-member-${i}.zip`, zipArchive([{ name: 'x.bin', data }]));
      }
    }
  }
  writeFileSync(join(dbDir, 'agree.ndb'), `${bodies.map((b) => b.line).join('\n')}\n`);
  writeFileSync(join(dbDir, 'agree.ldb'), `${logicals.map((l) => l.line).join('\n')}\n`);
  writeFileSync(join(dbDir, 'agree.hdb'), `${hashLines.hdb.join('\n')}\n`);
  writeFileSync(join(dbDir, 'agree.hsb'), `${hashLines.hsb.join('\n')}\n`);
  return { files, dbDir };
}

describe('agreement with clamscan', () => {
  for (const seed of [1, 2]) {
    it(`every file of a generated corpus gets clamscan's verdict and signature name (seed ${seed})`, async (t) => {
      requireClamscan();
      const { files, dbDir } = generateCorpus(tempDir(t), seed);
      const theirs = clamscanVerdicts(dbDir, files);
      const db = new CompiledDatabase(await loadSignatureDatabases([dbDir]), { builtins: false });
      const ours = await strataVerdicts(db, files);
      const disagreements = files.filter((f) => ours.get(f) !== theirs.get(f)).map((f) => `${f}: clamscan ${theirs.get(f)}, Strata ${ours.get(f)}`);
      assert.deepEqual(disagreements, []);
      const found = [...theirs.values()].filter((v) => v !== null).length;
      assert.ok(found >= files.length / 2 && found < files.length, `a corpus that tests something: ${found} of ${files.length} found`);
    });
  }

  it(`detects at least ${TESTFILES_DETECTED_AT_LEAST} of the Debian clamav-testfiles with a one-line .hdb for clam.exe (plain, zip, tar.gz, nested tgz, four cpio formats)`, async (t) => {
    requireClamscan();
    const clamExe = readFileSync(join(TESTFILES, 'clam.exe'));
    const dbDir = tempDir(t);
    writeFileSync(join(dbDir, 'clam.hdb'), `${createHash('md5').update(clamExe).digest('hex')}:${clamExe.length}:ClamAV-Test-File\n`);
    const files = readdirSync(TESTFILES).sort().map((name) => join(TESTFILES, name));
    assert.equal(files.length, 44, 'the clamav-testfiles package holds 44 files');
    const db = new CompiledDatabase(await loadSignatureDatabases([dbDir]), { builtins: false });
    const ours = await strataVerdicts(db, files);
    const theirs = clamscanVerdicts(dbDir, files);
    const detected = files.filter((f) => ours.get(f) !== null);
    for (const file of detected) assert.equal(ours.get(file), theirs.get(file), `${file}: the same name as clamscan`);
    for (const name of ['clam.exe', 'clam.zip', 'clam.tar.gz', 'clam_cache_emax.tgz', 'clam.bin-be.cpio', 'clam.bin-le.cpio', 'clam.newc.cpio', 'clam.odc.cpio']) {
      assert.equal(ours.get(join(TESTFILES, name)), 'ClamAV-Test-File', name);
    }
    t.diagnostic(`Strata detects ${detected.length} of 44 (clamscan ${[...theirs.values()].filter((v) => v !== null).length})`);
    assert.ok(detected.length >= TESTFILES_DETECTED_AT_LEAST, `detected ${detected.length}`);
  });
});
