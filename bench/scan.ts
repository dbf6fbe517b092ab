// bench/scan: Strata's scanner against clamscan on the same corpus and database, in the same run.
// Generates (or reuses, by seed) 2000 random 100 KiB files with some infected ones mixed in and a
// database of 5000 random .ndb and 5000 .hdb signatures; prints JSON lines {"metric","value","unit"}:
// throughput of both, their ratio, the verdict agreement, and the load time of 100,000 signatures.
// Two databases are measured: .ndb patterns using every wildcard kind (the main figures), and plain
// 12-24 byte patterns (suffix _plain), on which clamscan's matcher is at its fastest.
//   npm run bench:scan            (STRATA_BENCH_FILES=200 for a quick run)

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBodySignature, seededRandom, type PlantableSignature } from './scan-corpus.js';
import { CompiledDatabase } from '../filters/scan/engine/compiled-database.js';
import { scanPaths } from '../filters/scan/ondemand/path-scan.js';
import { loadSignatureDatabases } from '../filters/scan/signatures/load-databases.js';
import { emit } from './report.js';

const FILES = Number(process.env.STRATA_BENCH_FILES ?? 2000);
const FILE_SIZE = 100 * 1024;
const NDB = 5000;
const HDB = 5000;
/** One file in 50 carries a body signature, one in 100 is listed by hash. */
const BODY_INFECTED_EVERY = 50;
const HASH_INFECTED_EVERY = 100;
const SEED = 20250401;

interface Corpus {
  readonly files: string[];
  /** The database with wildcard patterns, and the one with plain patterns (same .hdb). */
  readonly dbDir: string;
  readonly plainDbDir: string;
  readonly bytes: number;
}

function generateCorpus(root: string): Corpus {
  const corpusDir = join(root, 'corpus');
  const dbDir = join(root, 'db');
  const plainDbDir = join(root, 'db-plain');
  const done = join(root, 'complete');
  if (existsSync(done)) {
    const files = readdirSync(corpusDir).sort().map((name) => join(corpusDir, name));
    return { files, dbDir, plainDbDir, bytes: files.length * FILE_SIZE };
  }
  mkdirSync(corpusDir, { recursive: true });
  mkdirSync(dbDir, { recursive: true });
  mkdirSync(plainDbDir, { recursive: true });
  const random = seededRandom(SEED);
  const bodies: PlantableSignature[] = Array.from({ length: NDB }, (_, i) => randomBodySignature(random, `Bench.Ndb-${i}`));
  const plain: PlantableSignature[] = Array.from({ length: NDB }, (_, i) => randomBodySignature(random, `Bench.Plain-${i}`, { wildcards: false }));
  const hashes: string[] = [];
  const files: string[] = [];
  for (let i = 0; i < FILES; i++) {
    const data = random.bytes(FILE_SIZE);
    if (i % BODY_INFECTED_EVERY === 7) bodies[random.int(bodies.length)]!.plant(data, random);
    if (i % BODY_INFECTED_EVERY === 29) plain[random.int(plain.length)]!.plant(data, random);
    if (i % HASH_INFECTED_EVERY === 13) hashes.push(`${createHash('md5').update(data).digest('hex')}:${FILE_SIZE}:Bench.Hdb-${hashes.length}`);
    const path = join(corpusDir, `file-${String(i).padStart(5, '0')}.bin`);
    writeFileSync(path, data);
    files.push(path);
  }
  while (hashes.length < HDB) hashes.push(`${Buffer.from(random.bytes(16)).toString('hex')}:${FILE_SIZE + random.int(1000)}:Bench.Hdb-${hashes.length}`);
  writeFileSync(join(dbDir, 'bench.ndb'), `${bodies.map((b) => b.line).join('\n')}\n`);
  writeFileSync(join(dbDir, 'bench.hdb'), `${hashes.join('\n')}\n`);
  writeFileSync(join(plainDbDir, 'bench.ndb'), `${plain.map((b) => b.line).join('\n')}\n`);
  writeFileSync(join(plainDbDir, 'bench.hdb'), `${hashes.join('\n')}\n`);
  writeFileSync(done, '');
  return { files, dbDir, plainDbDir, bytes: files.length * FILE_SIZE };
}

/** 100,000 signatures (50,000 .ndb with wildcards, 50,000 .hdb) for the load-time measure. */
function generateLargeDatabase(root: string): string {
  const dir = join(root, 'db-100k');
  if (existsSync(join(dir, 'large.hdb'))) return dir;
  mkdirSync(dir, { recursive: true });
  const random = seededRandom(SEED + 1);
  const ndb = Array.from({ length: 50_000 }, (_, i) => randomBodySignature(random, `Large.Ndb-${i}`).line);
  const hdb = Array.from({ length: 50_000 }, (_, i) => `${Buffer.from(random.bytes(16)).toString('hex')}:${1 + random.int(1 << 20)}:Large.Hdb-${i}`);
  writeFileSync(join(dir, 'large.ndb'), `${ndb.join('\n')}\n`);
  writeFileSync(join(dir, 'large.hdb'), `${hdb.join('\n')}\n`);
  return dir;
}

function clamscanAvailable(): boolean {
  return spawnSync('clamscan', ['--version']).status === 0;
}

/** clamscan's verdicts and wall time over `files` (one process, as a user would run it). */
function runClamscan(dbDir: string, files: readonly string[]): { seconds: number; verdicts: Map<string, string | null> } {
  const started = performance.now();
  const run = spawnSync('clamscan', ['--no-summary', '--stdout', '-d', dbDir, ...files], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (performance.now() - started) / 1000;
  const verdicts = new Map<string, string | null>();
  for (const line of run.stdout.split('\n')) {
    const found = /^(.*): (\S+?)(?:\.UNOFFICIAL)? FOUND$/.exec(line);
    if (found) verdicts.set(found[1]!, found[2]!);
    else if (line.endsWith(': OK')) verdicts.set(line.slice(0, -4), null);
  }
  return { seconds, verdicts };
}

/** How long clamscan needs to start and load `dbDir`: a run over one empty file. */
function clamscanStartup(dbDir: string, root: string): number {
  const empty = join(root, 'empty.txt');
  writeFileSync(empty, '');
  const runs = [0, 1, 2].map(() => runClamscan(dbDir, [empty]).seconds);
  return Math.min(...runs);
}

/** The baseline: reading the same files, nothing else. */
function readAllSeconds(files: readonly string[]): number {
  const started = performance.now();
  let sink = 0;
  for (const file of files) sink ^= readFileSync(file)[0]!;
  if (sink === -1) process.stdout.write('');
  return (performance.now() - started) / 1000;
}

/** Strata and clamscan over the corpus with one database; metrics carry `suffix`. */
async function compare(corpus: Corpus, dbDir: string, root: string, suffix: string): Promise<void> {
  const mb = corpus.bytes / (1024 * 1024);
  const loadStarted = performance.now();
  const db = new CompiledDatabase(await loadSignatureDatabases([dbDir]), { builtins: false });
  emit(`db_load_10k_s${suffix}`, (performance.now() - loadStarted) / 1000, 's');

  const ours = new Map<string, string | null>();
  const report = await scanPaths(db, corpus.files, { onFile: (o) => ours.set(o.path, o.kind === 'infected' ? o.signature : null) });
  const scanRate = mb / (report.elapsedMs / 1000);
  emit(`scan_mb_s${suffix}`, scanRate, 'MB/s');
  emit(`scan_infected_files${suffix}`, report.infected.length, 'files');
  if (!clamscanAvailable()) {
    process.stderr.write('bench/scan: clamscan is not installed (Debian package clamav); clamscan_* metrics skipped\n');
    return;
  }
  const startup = clamscanStartup(dbDir, root);
  const theirs = runClamscan(dbDir, corpus.files);
  const clamRate = mb / Math.max(0.001, theirs.seconds - startup);
  emit(`clamscan_startup_s${suffix}`, startup, 's');
  emit(`clamscan_mb_s${suffix}`, clamRate, 'MB/s');
  emit(`clamscan_end_to_end_mb_s${suffix}`, mb / theirs.seconds, 'MB/s');
  emit(`scan_vs_clamscan${suffix}`, scanRate / clamRate, 'ratio');
  const agreeing = corpus.files.filter((file) => theirs.verdicts.has(file) && theirs.verdicts.get(file) === ours.get(file)).length;
  emit(`verdict_agreement${suffix}`, agreeing / corpus.files.length, 'fraction');
  emit(`clamscan_infected_files${suffix}`, [...theirs.verdicts.values()].filter((v) => v !== null).length, 'files');
}

async function main(): Promise<void> {
  const root = join(tmpdir(), `strata-bench-scan-v2-${SEED}-${FILES}`);
  const corpus = generateCorpus(root);
  const mb = corpus.bytes / (1024 * 1024);
  const readSeconds = readAllSeconds(corpus.files);
  emit('read_mb_s', mb / readSeconds, 'MB/s');
  await compare(corpus, corpus.dbDir, root, '');
  await compare(corpus, corpus.plainDbDir, root, '_plain');

  const largeDir = generateLargeDatabase(root);
  const largeStarted = performance.now();
  const cpuStarted = process.cpuUsage();
  const large = new CompiledDatabase(await loadSignatureDatabases([largeDir]));
  const largeSeconds = (performance.now() - largeStarted) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  emit('load_100k_signatures_s', largeSeconds, 's');
  // On a shared machine the wall time includes waiting for a core; the CPU time is the load's own cost.
  emit('load_100k_signatures_cpu_s', (cpu.user + cpu.system) / 1e6, 's');
  emit('load_100k_signatures_count', large.signatureCount - 1, 'signatures');
  if (clamscanAvailable()) emit('clamscan_load_100k_signatures_s', clamscanStartup(largeDir, root), 's');
}

await main();
