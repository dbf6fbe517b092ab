// Child process for the crash tests (killed with SIGKILL at a random moment). Mode "write": rewrites the
// folder's files through Strata forever, version after version. Mode "big": the same with one large file
// (saved through write-behind). Mode "encrypt": encrypts the folder in place.
// Argument: the folder; the vault key comes in STRATA_TEST_IDENTITY.

import { X25519Identity, loadSodium } from '../../../main/age/index.js';
import { encryptInPlace } from '../../../filters/crypt/encrypt-in-place.js';
import { openCryptRig } from './crypt-rig.js';
import { FILES, bigContentOf, contentOf } from './crash-content.js';

const [mode, folder] = process.argv.slice(2) as ['write' | 'big' | 'encrypt', string];
const sodium = await loadSodium();
const rig = await openCryptRig({ folder, identity: X25519Identity.parse(sodium, process.env.STRATA_TEST_IDENTITY!) });
if (mode === 'encrypt') {
  await encryptInPlace(await rig.volume());
  process.stdout.write('done\n');
} else if (mode === 'big') {
  process.stdout.write('ready\n');
  for (let version = 1; ; version++) await rig.put('big.bin', bigContentOf(version));
} else {
  process.stdout.write('ready\n');
  for (let version = 1; ; version++) {
    for (let file = 0; file < FILES.length; file++) await rig.put(FILES[file]!, contentOf(file, version));
  }
}
await rig.close();
