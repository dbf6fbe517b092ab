// The ground of the GUI's end-to-end tests: a real agent process (`strata agent --json`) on temp dirs
// serving a private copy of the built GUI, Debian's Chromium driven by playwright-core with a fresh
// profile (killed if it ever wedges), screenshots kept as test artifacts.

import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createHttpClient, type StrataApi } from '../../main/api/index.js';
import { tempDir, type Cleanup } from '../app/temp-dir.js';

export { tempDir, type Cleanup };

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'gui');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

/** Why these tests cannot run here, or false. */
export const SKIP: string | false = !existsSync(CHROMIUM)
  ? `Debian's chromium is not installed at ${CHROMIUM} (apt-get install chromium)`
  : !existsSync(join(ROOT, 'build', 'gui', 'index.html'))
    ? 'the GUI is not built (npm run build:renderer)'
    : false;

/** Options for every GUI test: skipped with the reason above, and failed rather than hung after two minutes. */
export const E2E = { skip: SKIP, timeout: 120_000 };

export interface AgentProcess {
  url: string;
  /** The authenticated GUI link the agent printed. */
  ui: string;
  token: string;
  api: StrataApi;
  root: string;
  dataDir: string;
  child: ChildProcess;
}

/**
 * A private copy of the built GUI: other work in the same tree may rebuild build/gui (Vite empties it
 * first) while a test runs, which must not pull the page from under the browser.
 */
async function guiSnapshot(t: Cleanup): Promise<string> {
  const built = join(ROOT, 'build', 'gui');
  for (let attempt = 0; attempt < 50; attempt++) {
    const copy = join(tempDir(t, 'strata-gui-copy-'), 'gui');
    try {
      cpSync(built, copy, { recursive: true });
      const html = readFileSync(join(copy, 'index.html'), 'utf8');
      const assets = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]!);
      if (assets.length > 0 && assets.every((asset) => existsSync(join(copy, asset)))) return copy;
    } catch {
      // caught mid-rebuild: try again
    }
    await sleep(200);
  }
  throw new Error(`no complete GUI build in ${built} (run npm run build:renderer)`);
}

export async function startAgentProcess(t: Cleanup): Promise<AgentProcess> {
  const root = tempDir(t);
  const dataDir = join(root, 'data');
  const mediaRoot = join(root, 'media');
  mkdirSync(mediaRoot);
  const ui = await guiSnapshot(t);
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'strata.js'), 'agent', '--json', '--data-dir', dataDir, '--media-root', mediaRoot, '--quiet-ms', '100', '--ui', ui], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.after(async () => {
    child.kill('SIGTERM');
    await exited;
  });
  const ready = await new Promise<{ url: string; ui: string }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(JSON.parse(line) as { url: string; ui: string }));
    child.once('exit', (code) => reject(new Error(`the agent exited (${code}) before it was ready: ${stderr}`)));
  });
  const token = new URLSearchParams(new URL(ready.ui).hash.slice(1)).get('token')!;
  return { ...ready, token, api: createHttpClient({ baseUrl: ready.url, token }), root, dataDir, child };
}

/** Debian's Chromium with a fresh temporary profile (Playwright makes one per launch), killed after the test if it does not close within 10 s: a wedged browser must never hang the suite. */
export async function openBrowser(t: Cleanup): Promise<BrowserContext> {
  const server = await chromium.launchServer({
    executablePath: CHROMIUM,
    args: CHROMIUM_FLAGS,
    // Chromium's crash reporter writes under $XDG_CONFIG_HOME whatever the profile: keep it in the temp dir.
    env: { ...process.env, XDG_CONFIG_HOME: tempDir(t, 'strata-chromium-config-') },
  });
  t.after(async () => {
    const closed = server.close().then(() => true, () => false);
    if (!(await Promise.race([closed, sleep(10_000).then(() => false)]))) server.process().kill('SIGKILL');
  });
  const browser = await chromium.connect(server.wsEndpoint());
  return browser.newContext({ viewport: { width: 1200, height: 820 }, acceptDownloads: true, locale: 'en-GB' });
}

/** A page signed in through the agent's ui link, with every console error and CSP report collected. */
export async function signedInPage(t: Cleanup, agent: AgentProcess, context?: BrowserContext): Promise<Page & { problems: string[] }> {
  const page = await (context ?? (await openBrowser(t))).newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(agent.ui);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  return Object.assign(page, { problems });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Goes to a view by its address, as a bookmark or the nav would, and waits for its heading. */
export async function openView(page: Page, hash: string, heading: string | RegExp): Promise<void> {
  await page.evaluate((h) => (window.location.hash = h), hash);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}
