// Starts a real agent in this process for API tests (the I/O verifier on, a temp media root), and a
// raw HTTP helper that can send what browsers and fetch would not (foreign Host headers).

import { request } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startAgent, type AgentOptions, type RunningAgent } from '../../main/agent/agent-service.js';
import { tempDir, type Cleanup } from './agent-fixtures.js';

export async function runningAgent(t: Cleanup, options: Partial<AgentOptions> = {}): Promise<RunningAgent & { dataDir: string; mediaRoot: string }> {
  const root = tempDir(t);
  const dataDir = join(root, 'data');
  const mediaRoot = join(root, 'media');
  mkdirSync(mediaRoot);
  const agent = await startAgent({ dataDir, version: 'test', verifier: true, quietMs: 100, mediaRoots: [mediaRoot], retryMs: 200, ...options });
  t.after(() => agent.stop());
  return Object.assign(agent, { dataDir, mediaRoot });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'POST', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
