// Child process for the signature library's staging tests: an import in the middle of its staging. Its
// source is a folder whose database file is a FIFO nobody writes, so the import blocks reading it once its
// staging folder exists; it prints "importing" then and waits (the test kills it, or leaves it alive).
// Arguments: the data dir and the source folder.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore } from '../../../main/store/index.js';
import { SIGNATURE_DIR, SignatureLibrary } from '../../../filters/scan/storage/signature-library.js';

const [dataDir, source] = process.argv.slice(2) as [string, string];
const store = openStore(dataDir);
const library = new SignatureLibrary(dataDir, store.db);
const before = new Set(await readdir(join(dataDir, SIGNATURE_DIR)).catch(() => []));
void library.import(source);
const staged = async (): Promise<boolean> => (await readdir(join(dataDir, SIGNATURE_DIR)).catch(() => [])).some((name) => !before.has(name));
while (!(await staged())) await sleep(10);
process.stdout.write('importing\n');
setInterval(() => undefined, 1 << 30);
