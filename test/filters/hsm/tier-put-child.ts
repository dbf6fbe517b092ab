// Child process for the tier sweep tests: a put in the middle of copying a file to a local tier. It stores
// a source whose first chunk comes at once and whose second never does, prints "putting" once the first
// chunk is in the put's temporary file, and waits (the test kills it, or leaves it alive).
// Arguments: the tier's name and root.

import { LocalTier } from '../../../filters/hsm/tier/local-tier.js';

const [name, root] = process.argv.slice(2) as [string, string];

async function* stalledSource(): AsyncGenerator<Uint8Array> {
  yield new Uint8Array(1 << 20).fill(7);
  // The put asks for more only once the first chunk is written.
  process.stdout.write('putting\n');
  await new Promise(() => undefined);
}

setInterval(() => undefined, 1 << 30);
await new LocalTier(name, root).put(stalledSource());
