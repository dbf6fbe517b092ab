// ClamAV .cvd/.cld containers: a 512-byte ASCII header "ClamAV-VDB:time:version:sigs:flevel:md5:dsig:
// builder:stime", then a tar (gzip'd in a .cvd, often plain in a .cld). The MD5 of a .cvd body is
// checked; the RSA digital signature needs ClamAV's key and is not (see README).

import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { TarFormatError, tarEntries } from '../archives/tar-reader.js';
import { bufferSource, readAll } from '../source/byte-source.js';
import { SignatureError } from './signature-error.js';

const HEADER_SIZE = 512;
const MAGIC = 'ClamAV-VDB';
/** A container larger than this once unpacked is refused rather than exhausting memory. */
const MAX_UNPACKED = 1 << 30;
const gunzipAsync = promisify(gunzip);

export interface CvdHeader {
  readonly buildTime: string;
  readonly version: number;
  readonly signatureCount: number;
  readonly functionalityLevel: number;
  readonly md5: string;
  readonly builder: string;
}

export interface CvdMember {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface CvdContents {
  readonly header: CvdHeader;
  readonly members: CvdMember[];
}

export async function readCvdContainer(bytes: Uint8Array, file: string, kind: 'cvd' | 'cld'): Promise<CvdContents> {
  if (bytes.length < HEADER_SIZE) throw new SignatureError(file, null, `only ${bytes.length} bytes: shorter than the ${HEADER_SIZE}-byte ${MAGIC} header`);
  const header = parseHeader(Buffer.from(bytes.subarray(0, HEADER_SIZE)).toString('latin1'), file);
  const body = bytes.subarray(HEADER_SIZE);
  if (kind === 'cvd') {
    const actual = createHash('md5').update(body).digest('hex');
    if (actual !== header.md5) throw new SignatureError(file, null, `the body's MD5 is ${actual} but the header says ${header.md5}: the file is corrupt or truncated`);
  }
  const tar = await unpack(body, file);
  const members: CvdMember[] = [];
  try {
    for await (const entry of tarEntries(bufferSource(tar))) {
      if (entry.kind === 'file') members.push({ name: entry.name, bytes: await readAll(entry.content) });
    }
  } catch (error) {
    if (error instanceof TarFormatError || error instanceof RangeError) throw new SignatureError(file, null, `the tar inside is damaged: ${error.message}`);
    throw error;
  }
  return { header, members };
}

function parseHeader(text: string, file: string): CvdHeader {
  const fields = text.replace(/[\s\0]+$/, '').split(':');
  if (fields[0] !== MAGIC) throw new SignatureError(file, null, `does not start with '${MAGIC}:': not a ClamAV .cvd/.cld container`);
  if (fields.length < 6) throw new SignatureError(file, null, `the ${MAGIC} header has ${fields.length} fields, expected at least 6`);
  const number = (index: number, what: string): number => {
    const value = fields[index]!;
    if (!/^\d+$/.test(value)) throw new SignatureError(file, null, `the header's ${what} '${value}' is not a number`);
    return Number(value);
  };
  const md5 = fields[5]!.toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(md5)) throw new SignatureError(file, null, `the header's MD5 '${fields[5]}' is not 32 hex digits`);
  return {
    buildTime: fields[1]!,
    version: number(2, 'version'),
    signatureCount: number(3, 'signature count'),
    functionalityLevel: number(4, 'functionality level'),
    md5,
    builder: fields[7] ?? '',
  };
}

async function unpack(body: Uint8Array, file: string): Promise<Uint8Array> {
  if (body[0] !== 0x1f || body[1] !== 0x8b) return body;
  try {
    return new Uint8Array(await gunzipAsync(body, { maxOutputLength: MAX_UNPACKED }));
  } catch (error) {
    throw new SignatureError(file, null, `the gzip'd body does not unpack: ${(error as Error).message}`);
  }
}
