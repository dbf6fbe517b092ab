// Generates ClamAV signatures together with data that matches them: random body patterns using every
// wildcard kind and offset form, logical signatures, and hash signatures of chosen files. Drives both
// the clamscan agreement test (test/filters/scan) and bench/scan, from a seed, so runs are repeatable.

export interface Random {
  next(): number;
  int(n: number): number;
  bytes(n: number): Uint8Array;
}

/** xorshift32. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    bytes: (n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
      return out;
    },
  };
}

/** One piece of a pattern: its hex text and a way to produce bytes it matches. */
interface Piece {
  readonly hex: string;
  readonly maxLength: number;
  instance(random: Random): number[];
}

export interface PlantableSignature {
  readonly name: string;
  /** The database line (.ndb or .ldb). */
  readonly line: string;
  readonly extension: 'ndb' | 'ldb';
  /** Writes data that matches into `data` (which must be at least minSize long). */
  plant(data: Uint8Array, random: Random): void;
  readonly minSize: number;
  /** Bytes matching the pattern (of an .ndb signature), to put where its offset may not allow. */
  instance(random: Random): Uint8Array;
}

const toHex = (bytes: ArrayLike<number>): string => Buffer.from(Uint8Array.from(bytes)).toString('hex');

function staticPiece(random: Random, length: number): Piece {
  const bytes = [...random.bytes(length)];
  return { hex: toHex(bytes), maxLength: length, instance: () => bytes };
}

/** A wildcard construct; every kind ClamAV's .ndb syntax has, picked by `kind`. */
function wildcardPiece(random: Random, kind: number): Piece {
  switch (kind % 8) {
    case 0:
      return { hex: '??', maxLength: 1, instance: (r) => [r.int(256)] };
    case 1: {
      const high = random.int(16);
      return { hex: `${high.toString(16)}?`, maxLength: 1, instance: (r) => [(high << 4) | r.int(16)] };
    }
    case 2: {
      const low = random.int(16);
      return { hex: `?${low.toString(16)}`, maxLength: 1, instance: (r) => [(r.int(16) << 4) | low] };
    }
    case 3: {
      const n = 1 + random.int(8);
      return { hex: `{${n}}`, maxLength: n, instance: (r) => [...r.bytes(n)] };
    }
    case 4: {
      const n = random.int(5);
      const m = n + 1 + random.int(10);
      return { hex: `{${n}-${m}}`, maxLength: m, instance: (r) => [...r.bytes(n + r.int(m - n + 1))] };
    }
    case 5: {
      const m = 1 + random.int(12);
      return { hex: `{-${m}}`, maxLength: m, instance: (r) => [...r.bytes(r.int(m + 1))] };
    }
    case 6: {
      const options = [[...random.bytes(1)], [...random.bytes(2)], [...random.bytes(1)]];
      return { hex: `(${options.map(toHex).join('|')})`, maxLength: 2, instance: (r) => options[r.int(options.length)]! };
    }
    default: {
      const excluded = [...random.bytes(2)];
      return {
        hex: `!(${excluded.map((b) => toHex([b])).join('|')})`,
        maxLength: 1,
        instance: (r) => {
          let b = r.int(256);
          while (excluded.includes(b)) b = (b + 1) % 256;
          return [b];
        },
      };
    }
  }
}

/** `*`: unbounded in the signature; instances use a short run so that data stays small. */
function starPiece(): Piece {
  return { hex: '*', maxLength: 40, instance: (r) => [...r.bytes(r.int(41))] };
}

/** A random pattern: a static head, then wildcard/static pairs (static runs keep clamscan's length rules). */
function randomPattern(random: Random, options: { star: boolean; pairs: number }): Piece[] {
  const pieces = [staticPiece(random, 4 + random.int(3))];
  for (let i = 0; i < options.pairs; i++) {
    pieces.push(options.star && i === 0 && random.int(3) === 0 ? starPiece() : wildcardPiece(random, random.int(8)));
    pieces.push(staticPiece(random, 3 + random.int(3)));
  }
  return pieces;
}

function instanceOf(pieces: readonly Piece[], random: Random): number[] {
  return pieces.flatMap((piece) => piece.instance(random));
}

const maxLengthOf = (pieces: readonly Piece[]): number => pieces.reduce((sum, piece) => sum + piece.maxLength, 0);
const hexOf = (pieces: readonly Piece[]): string => pieces.map((piece) => piece.hex).join('');

/** An .ndb signature with a random pattern and a random offset form (*, n, n,shift, EOF-n, EOF-n,shift). */
export function randomBodySignature(random: Random, name: string, options: { wildcards: boolean } = { wildcards: true }): PlantableSignature {
  const form = options.wildcards ? random.int(5) : 0;
  const pieces = options.wildcards ? randomPattern(random, { star: form === 0, pairs: 1 + random.int(2) }) : [staticPiece(random, 12 + random.int(13))];
  const span = maxLengthOf(pieces);
  const hex = hexOf(pieces);
  const line = (offset: string): string => `${name}:0:${offset}:${hex}`;
  const write = (data: Uint8Array, at: number, random2: Random): void => data.set(instanceOf(pieces, random2), at);
  const signature = (offset: string, minSize: number, at: (size: number, r: Random) => number): PlantableSignature => ({
    name,
    extension: 'ndb',
    line: line(offset),
    minSize,
    plant: (data, r) => write(data, at(data.length, r), r),
    instance: (r) => Uint8Array.from(instanceOf(pieces, r)),
  });
  switch (form) {
    case 1: {
      const start = random.int(300);
      return signature(String(start), start + span, () => start);
    }
    case 2: {
      const start = random.int(300);
      const shift = 1 + random.int(20);
      return signature(`${start},${shift}`, start + shift + span, (_, r) => start + r.int(shift + 1));
    }
    case 3: {
      const back = span + random.int(50);
      return signature(`EOF-${back}`, back, (size) => size - back);
    }
    case 4: {
      const back = span + 5 + random.int(50);
      const shift = 1 + random.int(5);
      return signature(`EOF-${back},${shift}`, back, (size, r) => size - back + r.int(shift + 1));
    }
    default:
      return signature('*', span, (size, r) => r.int(size - span + 1));
  }
}

/** An .ldb signature over 2-3 random subsignatures with one of the expression forms, and matching data. */
export function randomLogicalSignature(random: Random, name: string): PlantableSignature {
  const subs = Array.from({ length: 2 + random.int(2) }, () => randomPattern(random, { star: false, pairs: random.int(2) }));
  const form = random.int(4);
  const expression = [
    subs.map((_, i) => i).join('&'),
    `0|${subs.slice(1).map((_, i) => i + 1).join('|')}`,
    `0>1&${subs.slice(1).map((_, i) => i + 1).join('&')}`,
    `(${subs.map((_, i) => i).join('|')})>2,2`,
  ][form]!;
  const plantSub = (data: Uint8Array, r: Random, index: number, slot: number, slots: number): void => {
    const region = Math.floor(data.length / slots);
    const bytes = instanceOf(subs[index]!, r);
    data.set(bytes, slot * region + r.int(Math.max(1, region - bytes.length)));
  };
  const slots = subs.length + 2;
  return {
    name,
    extension: 'ldb',
    instance: (r) => Uint8Array.from(instanceOf(subs[0]!, r)),
    line: `${name};Engine:51-255,Target:0;${expression};${subs.map(hexOf).join(';')}`,
    minSize: slots * (Math.max(...subs.map(maxLengthOf)) + 1),
    plant: (data, r) => {
      if (form === 1) return plantSub(data, r, r.int(subs.length), 0, slots);
      subs.forEach((_, index) => plantSub(data, r, index, index, slots));
      if (form === 2 || form === 3) {
        plantSub(data, r, 0, subs.length, slots);
        plantSub(data, r, 1 % subs.length, subs.length + 1, slots);
      }
    },
  };
}
