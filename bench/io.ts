// bench/io: the cost of the I/O path. A 4 KiB read through the upper edge into an in-memory volume,
// with 0, 1, 3 and 8 passthrough minifilters above it. Prints JSON lines {metric, value, unit}; every
// figure is relative to the unfiltered path measured in the same run (the verifier is off, as in
// production). Runs are interleaved and the median kept, so background noise hits all sizes alike.

import { FILE_OPEN_IF, IoManager, NtFileApi, type FileHandle } from '../main/io/index.js';
import { FilterManager } from '../main/fltmgr/index.js';
import { registerPassthroughStack } from '../filters/passthrough/index.js';
import { createStorageDevice, registerVolumeFileSystems } from '../main/volumes/index.js';
import { emit, median } from './report.js';

const LAYERS = [0, 1, 3, 8];
const READ_SIZE = 4096;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

interface Rig {
  api: NtFileApi;
  handle: FileHandle;
  buffer: Uint8Array;
}

async function makeRig(layers: number): Promise<Rig> {
  const io = new IoManager({ verifier: false });
  const manager = new FilterManager(io);
  registerPassthroughStack(manager, layers);
  registerVolumeFileSystems(io);
  createStorageDevice(io, { name: '\\Device\\BenchVolume', source: { kind: 'memory' } });
  const api = new NtFileApi(io);
  const opened = await api.createFile('\\Device\\BenchVolume\\data.bin', { disposition: FILE_OPEN_IF });
  if (opened.handle === null) throw new Error(`bench: cannot create the test file (status ${opened.status})`);
  const written = await api.write(opened.handle, new Uint8Array(READ_SIZE * 4).fill(7), 0);
  if (written.status !== 0) throw new Error(`bench: cannot write the test file (status ${written.status})`);
  return { api, handle: opened.handle, buffer: new Uint8Array(READ_SIZE) };
}

/** Nanoseconds per 4 KiB read, over ITERATIONS reads. */
async function timeReads(rig: Rig): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) {
    const result = await rig.api.read(rig.handle, READ_SIZE, (i & 3) * READ_SIZE, rig.buffer);
    if (result.information !== READ_SIZE) throw new Error(`bench: short read (${result.status})`);
  }
  return Number(process.hrtime.bigint() - start) / ITERATIONS;
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return num / den;
}

async function main(): Promise<void> {
  const rigs = await Promise.all(LAYERS.map(makeRig));
  for (const rig of rigs) await timeReads(rig); // warm-up: let the JIT settle on every path
  const samples = LAYERS.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < LAYERS.length; i++) samples[i]!.push(await timeReads(rigs[i]!));
  }
  const ns = samples.map(median);
  const direct = ns[0]!;
  emit('irp_ns_direct', direct, 'ns');
  for (let i = 1; i < LAYERS.length; i++) emit(`irp_ns_${LAYERS[i]}_filters`, ns[i]!, 'ns');
  emit('irp_ns_per_layer', slope(LAYERS, ns), 'ns');
  emit('stack8_vs_direct', ns[LAYERS.indexOf(8)]! / direct, 'ratio');
  emit('ops_per_s_3_filters', 1e9 / ns[LAYERS.indexOf(3)]!, 'ops/s');
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
