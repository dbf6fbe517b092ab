// A real agent with one protected folder, 'Inbox', under the scan protection (threats quarantined),
// returned once the scan filter is attached.

import { join } from 'node:path';
import { eventually, spawnAgent, tempDir, type AgentProcess, type Cleanup } from './agent-process.js';

export async function agentWithScannedInbox(t: Cleanup): Promise<{ agent: AgentProcess; dataDir: string; folder: string }> {
  const dataDir = join(tempDir(t), 'data');
  const folder = tempDir(t);
  const agent = await spawnAgent(t, dataDir);
  await agent.api.addFolder({ path: folder, name: 'Inbox', policy: { scan: { settings: { action: 'quarantine' } } } });
  await eventually(async () => (await agent.api.getFolder({ folder: 'Inbox' })).runtime?.protections[0]?.state === 'active', 'the scan filter to attach');
  return { agent, dataDir, folder };
}
