// Shared ground for the desktop app's tests: temp folders that clean themselves up, a real agent
// brought up the way the app does it (on a temp data dir, the I/O verifier on), and IPC senders.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { bringUpAgent, type AgentLink } from '../../app/agent-host.js';
import { APP_START_URL, type IpcSender } from '../../app/trusted-sender.js';
import { tempDir, type Cleanup } from './temp-dir.js';

export { tempDir, type Cleanup };

export async function appAgent(t: Cleanup): Promise<AgentLink & { dataDir: string; root: string }> {
  const root = tempDir(t);
  const dataDir = join(root, 'data');
  const mediaRoot = join(root, 'media');
  mkdirSync(mediaRoot);
  const link = await bringUpAgent(dataDir, 'test', { verifier: true, quietMs: 100, mediaRoots: [mediaRoot] });
  t.after(() => link.stop());
  return Object.assign(link, { dataDir, root });
}

export const WINDOW_ID = 7;
export const TRUSTED = new Set([WINDOW_ID]);
export const APP_WINDOW: IpcSender = { frameUrl: `${APP_START_URL}#/add`, isMainFrame: true, webContentsId: WINDOW_ID };
