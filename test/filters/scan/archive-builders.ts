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
    // The local and central headers share these fields, the central one two bytes further on.
    const shared = (header: Buffer, at: number): Buffer => {
      header.writeUInt16LE(20, at);
      header.writeUInt16LE(0x800, at + 2);
      header.writeUInt16LE(method === 'deflate' ? 8 : 0, at + 4);
      header.writeUInt32LE(crc32(member.data), at + 10);
      header.writeUInt32LE(body.length, at + 14);
      header.writeUInt32LE(member.data.length, at + 18);
      header.writeUInt16LE(name.length, at + 22);
      return header;
    };
    const local = shared(Buffer.alloc(30), 4);
    local.writeUInt32LE(0x04034b50, 0);
    const central = shared(Buffer.alloc(46), 6);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
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
