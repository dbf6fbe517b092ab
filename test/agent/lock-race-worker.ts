// A would-be agent for agent-lock-race.test.ts: for each line "<data dir> <start time>" on stdin it
// spins until the start time (so that every worker tries at the same moment), tries to take the data
// dir's agent lock and answers one JSON line: acquired, refused (another agent runs) or a raw error.
// A lock it took stays held until the worker exits, as a running agent's would.

import { createInterface } from 'node:readline';
import { acquireAgentLock, AgentAlreadyRunningError } from '../../main/agent/server/agent-lock.js';

for await (const line of createInterface({ input: process.stdin })) {
  const [dataDir, startAt] = line.split('\t');
  while (Date.now() < Number(startAt)) {
    // spin to the barrier: a sleep would let the workers drift apart
  }
  let answer: { outcome: 'acquired' | 'refused' | 'error'; detail?: string };
  try {
    acquireAgentLock(dataDir!);
    answer = { outcome: 'acquired' };
  } catch (error) {
    answer = error instanceof AgentAlreadyRunningError
      ? { outcome: 'refused' }
      : { outcome: 'error', detail: `${(error as NodeJS.ErrnoException).code ?? ''} ${(error as Error).message}` };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
