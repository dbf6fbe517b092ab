// `strata vault lock` beside a running agent: the folder's key is wiped from the agent's memory too, so
// that after a lock neither the CLI's session nor the agent decrypts the folder. With no agent running,
// nothing is opened (no store is created in the data dir).

import { ApiRequestError } from '../../../api/index.js';
import { readAgentLock } from '../../../agent/server/agent-lock.js';
import type { CliContext } from '../../command.js';
import { withApi } from '../agent-session.js';

/** Locks `folder` (a real path) in the agent running on the data dir; true when the agent held its key. */
export async function lockInRunningAgent(ctx: CliContext, folder: string): Promise<boolean> {
  if (readAgentLock(ctx.dataDir) === null) return false;
  return withApi(ctx, async (api) => {
    let record;
    try {
      record = await api.getFolder({ folder });
    } catch (error) {
      if (error instanceof ApiRequestError && error.code === 'not-found') return false; // not protected by the agent
      throw error;
    }
    if (record.runtime?.protections.find((p) => p.kind === 'crypt')?.lock !== 'unlocked') return false;
    await api.lockFolder({ folder: record.id });
    return true;
  });
}
