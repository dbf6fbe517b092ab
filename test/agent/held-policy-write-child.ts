// The CLI side of the tightest race in cli-agent-start-race.test.ts, in its own process: a policy write
// made in-process while no agent held the data dir, whose transaction commits only after an agent has
// taken the lock. Adds the folder inside an open write transaction, says "written", waits until the
// agent's lock file appears, then commits and says "committed".

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openAgentCore } from '../../main/agent/agent-core.js';
import { createHandlers, createInProcessClient } from '../../main/agent/api-handlers.js';
import { LOCK_FILE } from '../../main/agent/server/agent-lock.js';

const [dataDir, folderPath] = process.argv.slice(2) as [string, string];
const core = openAgentCore(dataDir);
const api = createInProcessClient(createHandlers(core, null));
// The command's own transaction becomes a savepoint of this one: its checks and writes happen now,
// its commit only when this one commits.
core.store.db.exec('BEGIN IMMEDIATE');
await api.addFolder({ path: folderPath, name: 'docs' });
process.stdout.write('written\n');
while (!existsSync(join(dataDir, LOCK_FILE))) await sleep(5);
core.store.db.exec('COMMIT');
core.close();
process.stdout.write('committed\n');
