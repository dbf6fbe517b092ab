// The process the crash tests kill: opens the folder with the HSM (recovering what the previous victim
// left), migrates every file, then recalls every file through the stack. STRATA_HSM_CRASH_AT makes it
// SIGKILL itself at a named point; the parent may also kill it at a random instant.
//   node crash-child.js <data dir> <folder>

import { FILE_OPEN, FILE_ATTRIBUTE_DIRECTORY, NT_SUCCESS, statusName } from '../../../main/io/index.js';
import { openHsmSession } from '../../../main/cli/commands/hsm/hsm-session.js';
import { FSCTL_STRATA_HSM_RECALL } from '../../../filters/hsm/index.js';
import { migrateFolder } from '../../../filters/hsm/engine/migrate-folder.js';
import { walkFolder } from '../../../filters/hsm/engine/folder-walk.js';

const [dataDir, folder] = process.argv.slice(2) as [string, string];
const session = await openHsmSession({ dataDir, folder });
const summary = await migrateFolder(session.volume);
if (summary.failed > 0) throw new Error(`migration failed: ${JSON.stringify(summary.files)}`);
const { stack } = session;
for await (const { path, entry } of walkFolder(session.volume)) {
  if (entry.fileAttributes & FILE_ATTRIBUTE_DIRECTORY) continue;
  const opened = await stack.api.createFile(`${stack.volumePath}${path}`, { disposition: FILE_OPEN });
  if (!NT_SUCCESS(opened.status)) throw new Error(`open ${path}: ${statusName(opened.status)}`);
  const recalled = await stack.api.fsControl(opened.handle!, FSCTL_STRATA_HSM_RECALL, null, 0);
  await stack.api.close(opened.handle!);
  if (!NT_SUCCESS(recalled.status)) throw new Error(`recall ${path}: ${statusName(recalled.status)}`);
}
await session.close();
process.stdout.write(`done: released ${summary.released}\n`);
