// A CLI command that found no agent works in-process; an agent may start on the same data dir while it
// runs. Whatever the interleaving, a policy change the command makes must end up in the running agent:
// either it was committed before the agent read the policy, or it goes through the agent.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { openAgentCore } from '../../main/agent/agent-core.js';
import { connect } from '../../main/agent/agent-client.js';
import { startAgent } from '../../main/agent/agent-service.js';
import { AgentStartedError, refusePolicyWritesWhileAnAgentRuns } from '../../main/agent/in-process-guard.js';
import { AgentRuntime } from '../../main/agent/runtime/agent-runtime.js';
import { acquireAgentLock } from '../../main/agent/server/agent-lock.js';
import { tempDir } from './agent-fixtures.js';

const HELD_WRITE_CHILD = new URL('./held-policy-write-child.js', import.meta.url).pathname;

type TestContext = Parameters<typeof tempDir>[0];

/** Cleanups run last-registered first (node:test runs `after` hooks in the order they were added). */
function undoStack(t: TestContext): (step: () => unknown) => void {
  const steps: Array<() => unknown> = [];
  t.after(async () => {
    for (const step of steps.reverse()) await step();
  });
  return (step) => void steps.push(step);
}

function dirs(t: TestContext) {
  const root = tempDir(t);
  const media = join(root, 'media');
  const docs = join(root, 'docs');
  mkdirSync(media);
  mkdirSync(docs);
  return { dataDir: join(root, 'data'), media, docs };
}

describe('a CLI command racing an agent start', () => {
  it('a change made after the agent started, on a connection opened before, goes through the agent', async (t) => {
    const undo = undoStack(t);
    const { dataDir, media, docs } = dirs(t);
    const cli = await connect(dataDir);
    undo(() => cli.close());
    assert.equal(cli.mode, 'in-process', 'no agent ran when the command connected');
    const agent = await startAgent({ dataDir, version: 'test', verifier: true, quietMs: 100, mediaRoots: [media], retryMs: 200 });
    undo(() => agent.stop());
    const added = await cli.api.addFolder({ path: docs, name: 'docs' });
    assert.notEqual(added.runtime, null, 'the answer comes from the agent, with the folder\'s live state');
    assert.deepEqual(agent.runtime.status().folders.map((f) => f.name), ['docs']);
    assert.deepEqual(agent.core.policy.store.listFolders().map((f) => f.name), ['docs']);
  });

  it('a change written just after the agent took the lock, though the command looked for an agent just before, goes through the agent', async (t) => {
    const undo = undoStack(t);
    const { dataDir, media, docs } = dirs(t);
    const cli = await connect(dataDir);
    undo(() => cli.close());
    // Both calls run synchronously up to their first await: the command looks for an agent (none),
    // then the agent takes the lock and reads the policy, and only then does the command write.
    const adding = cli.api.addFolder({ path: docs, name: 'docs' });
    const starting = startAgent({ dataDir, version: 'test', verifier: true, quietMs: 100, mediaRoots: [media], retryMs: 200 });
    const agent = await starting;
    undo(() => agent.stop());
    const added = await adding;
    assert.notEqual(added.runtime, null, 'the write was refused in-process and sent to the agent');
    assert.deepEqual(agent.runtime.status().folders.map((f) => f.name), ['docs']);
  });

  it('a change whose transaction commits just after the agent took the lock is read by that agent', { timeout: 30_000 }, async (t) => {
    const undo = undoStack(t);
    const { dataDir, media, docs } = dirs(t);
    // startAgent's own order: the store first, then the lock, then the runtime reads the policy. Done
    // step by step here so that the command's write can sit between them.
    const core = openAgentCore(dataDir);
    undo(() => core.close());
    const child = spawn(process.execPath, [HELD_WRITE_CHILD, dataDir, docs], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    assert.equal((await lines.next()).value, 'written');
    const lock = acquireAgentLock(dataDir);
    undo(() => lock.release());
    const runtime = new AgentRuntime({
      core, version: 'test', verifier: true, quietMs: 100, mediaRoots: [media], queueCapacity: 100, ingestConcurrency: 2, retryMs: 200, broadcast: () => undefined,
    });
    await runtime.start();
    undo(() => runtime.stop());
    assert.equal((await lines.next()).value, 'committed');
    assert.deepEqual(core.policy.store.listFolders().map((f) => f.name), ['docs'], 'the command\'s change is stored');
    assert.deepEqual(runtime.status().folders.map((f) => f.name), ['docs'], 'and the agent runs it');
  });

  it('an in-process policy write is refused inside its transaction while an agent holds the data dir, and writes nothing', (t) => {
    const undo = undoStack(t);
    const { dataDir, docs } = dirs(t);
    const core = openAgentCore(dataDir);
    undo(() => core.close());
    refusePolicyWritesWhileAnAgentRuns(core);
    const lock = acquireAgentLock(dataDir);
    undo(() => lock.release());
    assert.throws(() => core.policy.addFolder({ path: docs, name: 'docs', policy: {} }), (error: unknown) => error instanceof AgentStartedError && error.message.includes(`pid ${process.pid}`));
    assert.throws(() => core.policy.setTier({ name: 'cold', path: join(docs, '..', 'cold') }), AgentStartedError);
    assert.deepEqual(core.policy.store.listFolders(), [], 'the refused change left nothing behind');
    assert.deepEqual(core.policy.store.listTiers(), []);
    assert.equal(core.store.db.inTransaction, false);
    lock.release();
    assert.equal(core.policy.addFolder({ path: docs, name: 'docs', policy: {} }).name, 'docs', 'with no agent the same write is made in-process');
  });
});
