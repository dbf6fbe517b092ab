// `strata quarantine restore` while an agent runs on the same data dir: the restore goes through the
// agent, so the file is put back through its folder and allowed there — the running agent does not
// quarantine it a second time — and the CLI's own store never sweeps the agent's work in progress.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { EICAR, eventually, strata, strataJson } from './agent-process.js';
import { agentWithScannedInbox } from './scanned-folder.js';

describe('strata quarantine with a running agent', () => {
  it('restore goes through the agent: the file comes back and stays, and the event log says so', async (t) => {
    const { agent, dataDir, folder } = await agentWithScannedInbox(t);

    await writeFile(join(folder, 'eicar.com'), EICAR);
    const [entry] = await eventually(() => {
      const list = strataJson<Array<{ id: string; originPath: string }>>(['quarantine', 'list'], dataDir);
      return list.length === 1 && !existsSync(join(folder, 'eicar.com')) ? list : undefined;
    }, 'the dropped EICAR file in quarantine');
    assert.equal(entry!.originPath, join(folder, 'eicar.com'));

    const restored = strata(['quarantine', 'restore', entry!.id, '--i-know-it-is-infected'], dataDir);
    assert.equal(restored.status, 0, restored.stderr);
    assert.match(restored.stdout, /through its protected folder 'Inbox' \(allowed there from now on\)/);
    assert.equal(readFileSync(join(folder, 'eicar.com'), 'latin1'), EICAR);
    // Long enough for the watcher and ingest to have seen the restored file.
    await sleep(2500);
    assert.equal(readFileSync(join(folder, 'eicar.com'), 'latin1'), EICAR, 'the restored file stays');
    assert.deepEqual(strataJson<unknown[]>(['quarantine', 'list'], dataDir), [], 'and is not quarantined again');
    const events = (await agent.api.queryEvents({ folder: 'Inbox', actions: ['restored'] })).events;
    assert.equal(events.length, 1);
    assert.equal(events[0]!.path, 'eicar.com');
  });
});
