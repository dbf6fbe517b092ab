// Child of unbuffered-io.test.ts, run in a private mount namespace with a ramfs at argv[2]: ramfs refuses
// O_DIRECT, so this is a real host where a local volume's non-cached I/O must fall back to the buffered
// descriptor. Runs the padded round trip there and prints {"directIo": ...}; any failure exits non-zero.

import type { LocalStream } from '../../main/volumes/local/local-stream.js';
import { paddedRoundTrip } from './unbuffered-harness.js';
import { localVolumeFactory } from './volume-factories.js';

const v = await localVolumeFactory(undefined, process.argv[2]!)();
try {
  const stream = (await paddedRoundTrip(v, '\\on-ramfs.bin', 10000)) as LocalStream;
  process.stdout.write(`${JSON.stringify({ directIo: stream.directIo })}\n`);
} finally {
  await v.teardown();
}
v.io.assertNoLeakedIrps();
