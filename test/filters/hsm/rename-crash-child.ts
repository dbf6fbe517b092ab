// The process the rename crash test kills: opens the folder with the HSM (recovering what an earlier
// run left), renames one file or directory through the stack, and closes. With
// STRATA_HSM_CRASH_AT=rename-post it dies (SIGKILL) after the rename happened on disk, before the
// filter's post-callback moves the catalog rows.
//   node rename-crash-child.js <data dir> <folder> <from> <to>

import { FILE_OPEN, FileInformationClass, NT_SUCCESS, statusName } from '../../../main/io/index.js';
import { openHsmSession } from '../../../main/cli/commands/hsm/hsm-session.js';

const [dataDir, folder, from, to] = process.argv.slice(2) as [string, string, string, string];
const session = await openHsmSession({ dataDir, folder });
const { stack } = session;
const opened = await stack.api.createFile(stack.pathOf(from), { disposition: FILE_OPEN });
if (!NT_SUCCESS(opened.status)) throw new Error(`open ${from}: ${statusName(opened.status)}`);
const renamed = await stack.api.setInformation(opened.handle!, FileInformationClass.FileRenameInformation, { fileName: to, replaceIfExists: true });
await stack.api.close(opened.handle!);
if (!NT_SUCCESS(renamed.status)) throw new Error(`rename ${from} to ${to}: ${statusName(renamed.status)}`);
await session.close();
