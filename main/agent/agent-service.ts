// The agent service: one per data dir (a lock file with its PID), it opens the store, starts the live
// runtime (folders, watchers, scheduler, media), issues a fresh API token and serves the local API on a
// random loopback port. stop() undoes it all in reverse; the lock and token files go last.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { StreamMessage } from '../api/index.js';
import { openAgentCore, type AgentCore } from './agent-core.js';
import { createHandlers } from './api-handlers.js';
import { defaultMediaRoots } from './media/media-roots.js';
import { builtRendererRoot } from './renderer-assets.js';
import type { ProviderRegistry } from './protections/provider.js';
import { defaultProviders } from './protections/registry.js';
import { AgentRuntime } from './runtime/agent-runtime.js';
import { acquireAgentLock } from './server/agent-lock.js';
import { startApiServer } from './server/api-server.js';
import { issueApiToken, TOKEN_FILE } from './server/api-token.js';
import { EventStreamHub } from './server/event-stream-hub.js';

export interface AgentOptions {
  dataDir: string;
  version: string;
  /** I/O verifier on every folder stack (tests). Default off. */
  verifier?: boolean;
  /** Quiet time before a changed file is ingested. Default 500 ms. */
  quietMs?: number;
  /** Default: the OS's media roots. */
  mediaRoots?: readonly string[];
  /** The built GUI to serve at / (issue 7). Default: build/gui when it has been built. */
  uiRoot?: string;
  port?: number;
  providers?: ProviderRegistry;
  queueCapacity?: number;
  ingestConcurrency?: number;
  retryMs?: number;
  /** How often ended CLI unlock sessions are removed (also once at start). Default a minute. */
  sessionSweepMs?: number;
}

export interface RunningAgent {
  readonly url: string;
  /** Opens the GUI already authenticated: the token rides in the fragment, which no browser sends to a server. */
  readonly uiUrl: string;
  readonly token: string;
  readonly core: AgentCore;
  readonly runtime: AgentRuntime;
  stop(): Promise<void>;
}

export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  // The store first: it creates the data dir (owner-only) the lock file goes in.
  const core = openAgentCore(options.dataDir, options.providers ?? defaultProviders);
  let lock;
  try {
    lock = acquireAgentLock(options.dataDir);
  } catch (error) {
    core.close();
    throw error;
  }
  const undo: Array<() => unknown> = [() => lock.release(), () => core.close()];
  const unwind = async () => {
    for (const step of undo.reverse()) await step();
  };
  try {
    const hub = new EventStreamHub();
    const runtime = new AgentRuntime({
      core,
      version: options.version,
      verifier: options.verifier ?? false,
      quietMs: options.quietMs ?? 500,
      mediaRoots: options.mediaRoots ?? defaultMediaRoots(),
      queueCapacity: options.queueCapacity ?? 1000,
      ingestConcurrency: options.ingestConcurrency ?? 4,
      retryMs: options.retryMs ?? 10_000,
      sessionSweepMs: options.sessionSweepMs,
      broadcast: (message) => hub.broadcast(message),
    });
    await runtime.start();
    undo.push(() => runtime.stop());
    const token = issueApiToken(options.dataDir);
    undo.push(() => rmSync(join(options.dataDir, TOKEN_FILE), { force: true }));
    const hello = (): StreamMessage => ({ type: 'hello', agentVersion: options.version, time: new Date().toISOString(), lastEventId: core.log.lastId() });
    const server = await startApiServer({ handlers: createHandlers(core, runtime), token, hub, hello, uiRoot: options.uiRoot ?? builtRendererRoot(), port: options.port });
    undo.push(() => server.close());
    lock.publish(server.url);
    core.log.record({ action: 'agent-started', result: 'ok', detail: `pid ${process.pid} at ${server.url}` });
    undo.splice(2, 0, () => core.log.record({ action: 'agent-stopped', result: 'ok', detail: `pid ${process.pid}` }));
    let stopping: Promise<void> | null = null;
    return {
      url: server.url,
      uiUrl: `${server.url}/#token=${encodeURIComponent(token)}`,
      token,
      core,
      runtime,
      stop: () => (stopping ??= unwind()),
    };
  } catch (error) {
    await unwind();
    throw error;
  }
}
