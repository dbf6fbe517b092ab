// Builds real archives for the tests: zip (stored or deflated members, written here, read by clamscan and
// unzip alike) and tar/tar.gz with the system tar and gzip.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';

export interface ArchiveMember {
  readonly name: string;
  readonly data: Uint8Array;
}

export function zipArchive(members: readonly ArchiveMember[], method: 'stored' | 'deflate' = 'deflate'): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const member of members) {
    const name = Buffer.from(member.name, 'utf8');
    const body = method === 'deflate' ? deflateRawSync(member.data) : Buffer.from(member.data);
    const crc = crc32(member.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method === 'deflate' ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(member.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method === 'deflate' ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(member.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A tar made by the system tar (gzip'd with gzip when asked). */
export function tarArchive(members: readonly ArchiveMember[], gzip = false): Uint8Array {
  const staging = mkdtempSync(join(tmpdir(), 'strata-tar-'));
  try {
    for (const member of members) {
      mkdirSync(dirname(join(staging, member.name)), { recursive: true });
      writeFileSync(join(staging, member.name), member.data);
    }
    const tar = spawnSync('tar', ['-cf', '-', '-C', staging, ...members.map((m) => m.name)], { maxBuffer: 1 << 30 });
    assert.equal(tar.status, 0, String(tar.stderr));
    return gzip ? gzipData(tar.stdout) : tar.stdout;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export function gzipData(data: Uint8Array): Uint8Array {
  const gz = spawnSync('gzip', ['-n', '-c'], { input: data, maxBuffer: 1 << 30 });
  assert.equal(gz.status, 0, String(gz.stderr));
  return gz.stdout;
}

/** For bombs: zlib's own gzip, fast on hundreds of MiB of zeros. */
export const gzipFast = (data: Uint8Array): Uint8Array => gzipSync(data, { level: 9 });
