// Child process for the undo-journal recovery tests: a writer that dies between its writes and its
// cleanup. It opens the folder behind the scan filter (staging folder and volume key from the
// arguments), changes x.txt as the mode says, prints "ready" and waits to be killed (SIGKILL).
// Modes: "infected" — EICAR written over the start of x.txt in two halves, each clean alone (journalled
// range by range); "overwrite" — x.txt opened with FILE_OVERWRITE_IF (journalled whole), then the same
// halves, second first; "clean" — a clean out-of-order write.

import { FILE_OPEN, FILE_OVERWRITE_IF, STATUS_SUCCESS, statusName } from '../../../main/io/index.js';
import { openFolderStack } from '../../../main/agent/folder-stack.js';
import { registerScanFilter } from '../../../filters/scan/index.js';
import { EICAR_TEST_STRING } from '../../../filters/scan/engine/builtin-signatures.js';

const [folder, stagingDir, mode, volumeKey] = process.argv.slice(2) as [string, string, 'infected' | 'overwrite' | 'clean', string];
const stack = await openFolderStack(folder, { verifier: true, setup: (manager) => void registerScanFilter(manager, { stagingDir, volumeKey: () => volumeKey }) });
const opened = await stack.api.createFile(stack.pathOf('x.txt'), { disposition: mode === 'overwrite' ? FILE_OVERWRITE_IF : FILE_OPEN });
if (opened.status !== STATUS_SUCCESS) throw new Error(`open x.txt: ${statusName(opened.status)}`);
const writes: Array<[number, string]> = mode === 'clean' ? [[40, 'still clean']] : [[30, EICAR_TEST_STRING.slice(30)], [0, EICAR_TEST_STRING.slice(0, 30)]];
for (const [offset, text] of writes) {
  const written = await stack.api.write(opened.handle!, Buffer.from(text, 'latin1'), offset);
  if (written.status !== STATUS_SUCCESS) throw new Error(`write x.txt at ${offset}: ${statusName(written.status)}`);
}
process.stdout.write('ready\n');
setInterval(() => {}, 1 << 30);
