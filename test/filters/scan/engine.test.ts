// The scan engine: every pattern feature against hand-written signatures, offsets, hashes, logical
// signatures, EICAR, and streaming: chunked input gives the verdict of whole input, with bounded memory.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { AhoCorasick, HitBuffer } from '../../../filters/scan/engine/aho-corasick.js';
import { EICAR_SIGNATURE_NAME, EICAR_TEST_STRING } from '../../../filters/scan/engine/builtin-signatures.js';
import { CompiledDatabase } from '../../../filters/scan/engine/compiled-database.js';
import { scanBytes } from '../../../filters/scan/engine/scan-bytes.js';
import { ScanSession, type Detection } from '../../../filters/scan/engine/scan-session.js';
import { EMPTY_SIGNATURE_SET } from '../../../filters/scan/signatures/signature-set.js';
import { bytes, compileFiles, seededRandom } from './helpers.js';

/** Feeds `data` in the given chunk sizes (cycled) and returns the final verdict. */
function scanChunked(db: CompiledDatabase, data: Uint8Array, sizes: readonly number[]): Detection | null {
  const session = new ScanSession(db);
  let found: Detection | null = null;
  for (let at = 0, k = 0; at < data.length; k++) {
    const size = Math.max(1, sizes[k % sizes.length]!);
    found = session.feed(data.subarray(at, at + size)) ?? found;
    at += size;
  }
  return found ?? session.finish();
}

const TEXT = 'hello world this is a test\n';

describe('body patterns (each ClamAV wildcard, checked against the verdicts clamscan gives on the same line)', () => {
  // Each row: the .ndb pattern and offset, and whether clamscan 1.4 reports it in TEXT.
  const rows: Array<[string, string, boolean]> = [
    ['*', '68656c6c6f', true],
    ['*', '68656c6c6f21', false],
    ['*', '??656c6c', true],
    ['*', '6?656c', true],
    ['*', '6865?c6c', true],
    ['*', '6865?d6c', false],
    ['*', '6865(6c|6d)6c', true],
    ['*', '6865(6d|6e)6c', false],
    ['*', '6865(6c6c|7878)6f20', true],
    ['*', '6865!(6c|6d)6c', false],
    ['*', '6865!(6d|6e)6c', true],
    ['*', '6865{3}6f20', false],
    ['*', '68656c{1}6f20', true],
    ['*', '6865{2-4}6f20', true],
    ['*', '6865{4-5}6f20', false],
    ['*', '6865{-20}6973', true],
    ['*', '6865{18-}6973', false],
    ['*', '6865*776f*6973', true],
    ['*', '6865*6973*776f', false],
    ['*', '68[1-2]6c6c6f', true],
    ['*', '{2}68656c', false],
    ['*', '??6865', false],
    ['0', '68656c6c', true],
    ['1', '656c6c', true],
    ['0,1', '656c6c', true],
    ['2,3', '6c6c6f', true],
    ['3,3', '6c6c6f', false],
    ['0', '6865*6973', true],
    ['1', '6865*6973', false],
    ['EOF-27', '68656c', true],
    ['EOF-25,1', '6c6c6f', true],
    ['EOF-24,2', '6c6c6f', false],
    ['EOF-5', '74657374', true],
  ];
  for (const [offset, pattern, found] of rows) {
    it(`${offset}:${pattern} ${found ? 'matches' : 'does not match'}, whole and streamed byte by byte`, async (t) => {
      const db = await compileFiles(t, { 'p.ndb': `P:0:${offset}:${pattern}\n` });
      assert.equal(scanBytes(db, bytes(TEXT))?.name ?? null, found ? 'P' : null);
      assert.equal(scanChunked(db, bytes(TEXT), [1])?.name ?? null, found ? 'P' : null);
    });
  }

  it('an absolute offset counts from the start of the whole pattern, not of its anchor', async (t) => {
    const db = await compileFiles(t, { 'p.ndb': 'P:0:4:????6e6565646c65\n' });
    assert.equal(scanBytes(db, bytes('....xxneedle..'))?.name, 'P');
    assert.equal(scanBytes(db, bytes('.....xxneedle.'))?.name ?? null, null);
  });
});

describe('streaming', () => {
  it('a pattern straddling two chunks is found when the chunk carrying its end arrives', async (t) => {
    const db = await compileFiles(t, { 'p.ndb': 'Split:0:*:6e656564{0-8}6c65\n' });
    const session = new ScanSession(db);
    assert.equal(session.feed(bytes('.........nee')), null);
    assert.equal(session.feed(bytes('d12345')), null, 'the gap may still close with "le"');
    assert.equal(session.feed(bytes('le....'))?.name, 'Split');
  });

  it('chunked scanning gives the verdict of whole scanning for random patterns, data and chunk sizes', async (t) => {
    const random = seededRandom(20250318);
    const lines: string[] = [];
    const planted: Uint8Array[] = [];
    for (let i = 0; i < 40; i++) {
      const a = random.bytes(3 + random.int(4));
      const b = random.bytes(2 + random.int(3));
      const gap = random.int(6);
      const kinds = [`${hex2(a)}{${gap}-${gap + 3}}${hex2(b)}`, `${hex2(a)}*${hex2(b)}`, `${hex2(a)}??${hex2(b)}`, `${hex2(a)}(${hex2(b)}|0000)`];
      lines.push(`R${i}:0:*:${kinds[i % kinds.length]}`);
      const filler = random.bytes(i % 4 === 2 ? 1 : gap + 1);
      planted.push(Uint8Array.from([...a, ...(i % 4 === 3 ? [] : filler), ...b]));
    }
    const db = await compileFiles(t, { 'r.ndb': `${lines.join('\n')}\n` });
    for (let round = 0; round < 60; round++) {
      const data = random.bytes(2000 + random.int(3000));
      if (round % 2 === 0) {
        const sig = planted[random.int(planted.length)]!;
        data.set(sig, random.int(data.length - sig.length));
      }
      const whole = scanBytes(db, data)?.name ?? null;
      const sizes = Array.from({ length: 5 }, () => 1 + random.int(700));
      assert.equal(scanChunked(db, data, sizes)?.name ?? null, whole, `round ${round}, chunk sizes ${sizes.join(',')}`);
    }
  });

  it('keeps at most the window the longest pattern needs, however much data streams through', async (t) => {
    const db = await compileFiles(t, { 'w.ndb': 'Wide:0:*:6e656564{0-1000}6c65\n' });
    assert.ok(db.historyNeeded >= 1000 && db.historyNeeded < 1100, `history ${db.historyNeeded}`);
    const session = new ScanSession(db);
    const chunk = new Uint8Array(1 << 20).fill(0x6e);
    for (let i = 0; i < 64; i++) session.feed(chunk);
    assert.equal(session.retainedBytes, db.historyNeeded, '64 MiB streamed, only the window kept');
    session.feed(bytes('need'));
    session.feed(new Uint8Array(999));
    assert.equal(session.feed(bytes('le'))?.name, 'Wide');
  });

  it('EOF-anchored patterns are decided at the end of an unknown-length stream', async (t) => {
    const db = await compileFiles(t, { 'e.ndb': 'Tail:0:EOF-6:656e64\n' });
    const session = new ScanSession(db);
    assert.equal(session.feed(bytes('....end...')), null);
    assert.equal(session.feed(bytes('end...')), null);
    assert.equal(session.finish()?.name, 'Tail');
  });
});

describe('hash signatures', () => {
  const data = bytes('the quick brown fox jumps over the lazy dog');
  const digest = (algorithm: string): string => createHash(algorithm).update(data).digest('hex');

  it('MD5, SHA-1 and SHA-256 match on digest and size, computed while the data streams', async (t) => {
    for (const algorithm of ['md5', 'sha1', 'sha256']) {
      const db = await compileFiles(t, { 'h.hsb': `${digest(algorithm)}:${data.length}:H.${algorithm}\n` });
      assert.equal(scanChunked(db, data, [7, 3])?.name, `H.${algorithm}`);
      assert.equal(scanBytes(db, data)?.name, `H.${algorithm}`);
    }
  });

  it('a size that differs means no match; a wildcard size matches any size', async (t) => {
    const db = await compileFiles(t, { 'h.hdb': `${digest('md5')}:${data.length + 1}:Wrong.Size\n` });
    assert.equal(scanBytes(db, data), null);
    const any = await compileFiles(t, { 'h.hdb': `${digest('md5')}:*:Any.Size:73\n` });
    assert.equal(scanChunked(any, data, [10])?.name, 'Any.Size');
  });
});

describe('logical signatures', () => {
  const cases: Array<[string, boolean]> = [
    ['L;Target:0;0&1;68656c6c6f;74657374', true],
    ['L;Target:0;0&1;68656c6c6f;7a7a7a7a', false],
    ['L;Target:0;0|1;68656c6c6f;7a7a7a7a', true],
    ['L;Target:0;0>1;697320', true],
    ['L;Target:0;0=2;697320', true],
    ['L;Target:0;0=3;697320', false],
    ['L;Target:0;0<2;697320', false],
    ['L;Target:0;0<3;697320', true],
    ['L;Target:0;1&2|0;68656c6c6f;7a7a7a7a;79797979', false],
    ['L;Target:0;0|1&2;68656c6c6f;7a7a7a7a;79797979', true],
    ['L;Target:0;(0|1)>1,2;68656c6c6f;74657374', true],
    ['L;Target:0;(0|1)>1,2;68656c6c6f;7a7a7a7a', false],
    ['L;Target:0;0=0&1;7a7a7a7a;68656c6c6f', true],
    ['L;Target:0;0;EOF-27:68656c6c6f', true],
    ['L;Target:0;0;1:68656c6c6f', false],
    ['L;Target:0;0;6865', true],
    ['L;Target:0;0&1;68656c6c6f;776f*7465', true],
    ['L;Engine:51-255,Target:0,FileSize:10-20;0;68656c6c6f', false],
    ['L;Engine:51-255,Target:0,FileSize:20-30;0;68656c6c6f', true],
  ];
  for (const [line, found] of cases) {
    it(`${line} ${found ? 'matches' : 'does not match'} (as clamscan decides)`, async (t) => {
      const db = await compileFiles(t, { 'l.ldb': `${line}\n` });
      assert.equal(scanBytes(db, bytes(TEXT))?.name ?? null, found ? 'L' : null);
      assert.equal(scanChunked(db, bytes(TEXT), [2, 5])?.name ?? null, found ? 'L' : null);
    });
  }

  it('a monotone expression (only &, | and >n) is decided while streaming, before the end', async (t) => {
    const db = await compileFiles(t, { 'l.ldb': 'Early;Target:0;0&1;68656c6c6f;776f726c64\nLate;Target:0;0<1;7a7a7a7a\n' });
    const session = new ScanSession(db);
    assert.equal(session.feed(bytes('hello ')), null);
    assert.equal(session.feed(bytes('world '))?.name, 'Early');
  });
});

describe('built-in signatures', () => {
  it('EICAR is found anywhere, also in the middle of a large stream, unless built-ins are off', () => {
    const db = new CompiledDatabase(EMPTY_SIGNATURE_SET);
    const large = new Uint8Array(3 << 20).fill(0x20);
    large.set(bytes(EICAR_TEST_STRING), 1_500_001);
    assert.equal(scanChunked(db, large, [65536])?.name, EICAR_SIGNATURE_NAME);
    assert.equal(scanBytes(new CompiledDatabase(EMPTY_SIGNATURE_SET, { builtins: false }), large), null);
  });

  it('files of 5 bytes or fewer are clean, as clamscan reports them', async (t) => {
    const db = await compileFiles(t, { 'x.ndb': 'Xyz:0:*:78797a\n' });
    assert.equal(scanBytes(db, bytes('AAxyz')), null);
    assert.equal(scanBytes(db, bytes('AAAxyz'))?.name, 'Xyz');
    assert.equal(scanChunked(db, bytes('AAxyz'), [1]), null);
  });
});

describe('the Aho-Corasick automaton', () => {
  it('reports every occurrence of every pattern, overlapping and nested ones included (against a naive search)', () => {
    const random = seededRandom(7);
    // A small alphabet makes overlaps, shared prefixes and suffix outputs common.
    const word = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => 0x61 + random.int(3));
    const patterns = new Map<string, Uint8Array>();
    while (patterns.size < 300) {
      const p = word(1 + random.int(6));
      patterns.set(hex2(p), p);
    }
    const list = [...patterns.values()];
    const automaton = AhoCorasick.build(list);
    // Long enough to be split into interleaved lanes, whose boundaries must lose nothing.
    const text = word(50_000);
    const found: string[] = [];
    const hits = new HitBuffer(64);
    const cursor = { state: 0 };
    automaton.scan(text, 0, text.length, cursor, hits);
    for (let k = 0; k < hits.count; k++) automaton.patternsAt(hits.pairs[2 * k]!, (p) => found.push(`${p}@${hits.pairs[2 * k + 1]}`));
    const expected: string[] = [];
    list.forEach((p, id) => {
      for (let end = p.length - 1; end < text.length; end++) {
        if (p.every((b, k) => text[end - p.length + 1 + k] === b)) expected.push(`${id}@${end}`);
      }
    });
    assert.deepEqual(found.sort(), expected.sort());
  });
});

function hex2(data: Uint8Array): string {
  return Buffer.from(data).toString('hex');
}

