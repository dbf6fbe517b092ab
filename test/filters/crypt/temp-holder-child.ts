// Child process for the temporary-file sweep tests: a writer in the middle of a save. It writes a large
// file through Strata front to back without closing it, so the write-behind has its temporary file on disk,
// prints "holding" once that file is there, and waits (the test kills it, or leaves it alive).
// Arguments: the folder and the file's name; the vault key comes in STRATA_TEST_IDENTITY.

import { readdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { X25519Identity, loadSodium } from '../../../main/age/index.js';
import { FILE_OVERWRITE_IF } from '../../../main/io/index.js';
import { TEMP_MARK } from '../../../filters/crypt/names.js';
import { bytes, openCryptRig } from './crypt-rig.js';

const [folder, file] = process.argv.slice(2) as [string, string];
const sodium = await loadSodium();
const rig = await openCryptRig({ folder, identity: X25519Identity.parse(sodium, process.env.STRATA_TEST_IDENTITY!) });
const handle = await rig.open(file, FILE_OVERWRITE_IF);
const data = bytes(12 << 20, 7);
for (let offset = 0; offset < data.length; offset += 1 << 20) await rig.stack.api.write(handle, data.subarray(offset, offset + (1 << 20)), offset);
const mine = `.${file}${TEMP_MARK}`;
while (!(await readdir(folder)).some((name) => name.startsWith(mine))) await sleep(10);
process.stdout.write('holding\n');
setInterval(() => undefined, 1 << 30);
