// Archives: zip, gzip and tar members are scanned, nested ones too, and the limits against bombs
// (compression ratio, nesting depth, member count, total size) fail closed with a clear verdict.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from '../../../filters/scan/archives/archive-limits.js';
import { scanContent, type ContentVerdict } from '../../../filters/scan/archives/content-scanner.js';
import { EICAR_SIGNATURE_NAME, EICAR_TEST_STRING } from '../../../filters/scan/engine/builtin-signatures.js';
import { CompiledDatabase } from '../../../filters/scan/engine/compiled-database.js';
import { EMPTY_SIGNATURE_SET } from '../../../filters/scan/signatures/signature-set.js';
import { bufferSource } from '../../../filters/scan/source/byte-source.js';
import { gzipData, gzipFast, tarArchive, zipArchive, type ArchiveMember } from './archive-builders.js';
import { bytes, seededRandom } from './helpers.js';

const db = new CompiledDatabase(EMPTY_SIGNATURE_SET);
const random = seededRandom(99);
const eicarIn = (size: number): Uint8Array => {
  const data = random.bytes(size);
  data.set(bytes(EICAR_TEST_STRING), Math.floor(size / 2));
  return data;
};
const scan = (data: Uint8Array, limits?: Partial<ArchiveLimits>): Promise<ContentVerdict> =>
  scanContent(db, bufferSource(data), { limits: { ...DEFAULT_ARCHIVE_LIMITS, ...limits } });

function nestZips(inner: ArchiveMember, depth: number): Uint8Array {
  let data = zipArchive([inner]);
  for (let level = 1; level < depth; level++) data = zipArchive([{ name: `level${level}.zip`, data }]);
  return data;
}

describe('archive members are scanned', () => {
  it('EICAR inside a deflated zip, a stored zip, a tar, a tar.gz and a gzip is found, with its location', async () => {
    const infected = { name: 'docs/report.txt', data: eicarIn(5000) };
    const clean = { name: 'readme.txt', data: random.bytes(3000) };
    const cases: Array<[string, Uint8Array, string[]]> = [
      ['zip (deflate)', zipArchive([clean, infected]), ['docs/report.txt']],
      ['zip (stored)', zipArchive([clean, infected], 'stored'), ['docs/report.txt']],
      ['tar', tarArchive([clean, infected]), ['docs/report.txt']],
      ['tar.gz', tarArchive([clean, infected], true), ['(gzip)', 'docs/report.txt']],
      ['gzip', gzipData(infected.data), ['(gzip)']],
    ];
    for (const [label, data, location] of cases) {
      const verdict = await scan(data);
      assert.equal(verdict.detection?.name, EICAR_SIGNATURE_NAME, label);
      assert.deepEqual(verdict.location, location, label);
    }
  });

  it('finds a signature inside nested archives: zip in tar.gz in zip', async () => {
    const inner = zipArchive([{ name: 'payload.bin', data: eicarIn(2000) }]);
    const middle = tarArchive([{ name: 'inner.zip', data: inner }], true);
    const outer = zipArchive([{ name: 'a.txt', data: random.bytes(100) }, { name: 'middle.tar.gz', data: middle }]);
    const verdict = await scan(outer);
    assert.equal(verdict.detection?.name, EICAR_SIGNATURE_NAME);
    assert.deepEqual(verdict.location, ['middle.tar.gz', '(gzip)', 'inner.zip', 'payload.bin']);
  });

  it('a clean archive is clean, and compressed EICAR is not visible without opening the archive', async () => {
    assert.equal((await scan(zipArchive([{ name: 'a', data: random.bytes(4000) }]))).detection, null);
    const compressed = tarArchive([{ name: 'x', data: eicarIn(300) }], true);
    assert.equal((await scanContent(db, bufferSource(compressed), { archives: false })).detection, null);
    assert.equal((await scanContent(db, bufferSource(compressed))).detection?.name, EICAR_SIGNATURE_NAME);
  });

  it('a damaged archive is scanned as far as it can be read, without failing the scan', async () => {
    const stored = zipArchive([{ name: 'a.bin', data: eicarIn(3000) }], 'stored');
    const noDirectory = stored.subarray(0, stored.length - 40);
    assert.equal((await scan(noDirectory)).detection?.name, EICAR_SIGNATURE_NAME, 'stored bytes are still seen raw');
    const gz = gzipData(eicarIn(200_000).map((b, i) => (i > 150_000 ? 0 : b)));
    const truncated = gz.subarray(0, Math.floor(gz.length * 0.8));
    assert.equal((await scan(truncated)).detection?.name, EICAR_SIGNATURE_NAME, 'the readable part of a truncated gzip');
    const garbage = Uint8Array.from([0x50, 0x4b, 3, 4, ...random.bytes(600)]);
    assert.equal((await scan(garbage)).detection, null);
  });
});

describe('limits against bombs fail closed', () => {
  it('a member expanding beyond the compression ratio limit is Heuristics.Limits.Exceeded.MaxCompressionRatio', async () => {
    const bomb = gzipFast(new Uint8Array(32 << 20));
    assert.ok(bomb.length < 64 << 10, `a 32 MiB bomb in ${bomb.length} bytes`);
    const verdict = await scan(bomb);
    assert.equal(verdict.detection?.name, 'Heuristics.Limits.Exceeded.MaxCompressionRatio');
    assert.equal(verdict.detection?.kind, 'limits');
    const inZip = await scan(zipArchive([{ name: 'zeros.bin', data: new Uint8Array(16 << 20) }]));
    assert.equal(inZip.detection?.name, 'Heuristics.Limits.Exceeded.MaxCompressionRatio');
    assert.deepEqual(inZip.location, ['zeros.bin']);
  });

  it('archives nested deeper than the limit are Heuristics.Limits.Exceeded.MaxRecursion; within it, the payload is found', async () => {
    const deep = nestZips({ name: 'eicar.com', data: bytes(EICAR_TEST_STRING) }, 20);
    assert.equal((await scan(deep)).detection?.name, 'Heuristics.Limits.Exceeded.MaxRecursion');
    assert.equal((await scan(deep, { maxDepth: 25 })).detection?.name, EICAR_SIGNATURE_NAME);
  });

  it('a real signature found elsewhere wins over a skipped too-deep member', async () => {
    const deep = nestZips({ name: 'x', data: random.bytes(10) }, 20);
    const verdict = await scan(zipArchive([{ name: 'deep.zip', data: deep }, { name: 'eicar.com', data: bytes(EICAR_TEST_STRING) }]));
    assert.equal(verdict.detection?.name, EICAR_SIGNATURE_NAME);
  });

  it('more members than allowed is Heuristics.Limits.Exceeded.MaxFiles', async () => {
    const members = Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, data: random.bytes(20) }));
    assert.equal((await scan(zipArchive(members), { maxEntries: 10 })).detection?.name, 'Heuristics.Limits.Exceeded.MaxFiles');
    assert.equal((await scan(zipArchive(members), { maxEntries: 30 })).detection, null);
  });

  it('more extracted bytes than allowed is Heuristics.Limits.Exceeded.MaxScanSize', async () => {
    const members = Array.from({ length: 3 }, (_, i) => ({ name: `f${i}`, data: random.bytes(1 << 20) }));
    assert.equal((await scan(tarArchive(members, true), { maxTotalSize: 2 << 20 })).detection?.name, 'Heuristics.Limits.Exceeded.MaxScanSize');
    assert.equal((await scan(tarArchive(members, true), { maxTotalSize: 8 << 20 })).detection, null);
  });
});

describe('scan control', () => {
  it('an aborted signal stops the scan with an AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(scanContent(db, bufferSource(random.bytes(1 << 20)), { signal: controller.signal }), { name: 'AbortError' });
  });
});
