// bench/gui: what the GUI adds on top of the agent, in Debian's Chromium against a real agent. Prints
// JSON lines {metric, value, unit}, each GUI figure next to a baseline measured in the same run:
//   live events — a burst of events logged by the agent, until the event log shows the last one, against
//     a plain WebSocket client of the same stream receiving it (so the ratio is the GUI's own cost);
//   dashboard — loading the GUI afresh on the dashboard with many folders until every card shows,
//     against fetching the same folder list with the HTTP client.
// Medians of interleaved rounds. Needs `npm run build` (the GUI) and `apt-get install chromium`.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startAgent, type RunningAgent } from '../main/agent/agent-service.js';
import { createHttpClient, openEventStream } from '../main/api/index.js';
import { emit, median } from './report.js';

const BURST = Number(process.env.BENCH_EVENTS ?? 500);
const FOLDERS = Number(process.env.BENCH_FOLDERS ?? 40);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** One burst: ms until a WebSocket client got the last event, and until the page showed it. */
async function liveBurst(agent: RunningAgent, page: Page, round: number): Promise<{ socket: number; gui: number }> {
  const last = `bench ${round} ${BURST - 1}`;
  let socketDone = 0;
  let start = 0;
  const received = new Promise<void>((resolve) => {
    const stream = openEventStream({
      baseUrl: agent.url,
      token: agent.token,
      onMessage: (message) => {
        if (message.type === 'event' && message.event.detail === last) {
          socketDone = performance.now();
          stream.close();
          resolve();
        }
      },
    });
    void stream.opened.then(() => {
      start = performance.now();
      for (let i = 0; i < BURST; i++) agent.core.log.record({ action: 'scanned', result: 'ok', path: `file-${i}.txt`, detail: `bench ${round} ${i}` });
    });
  });
  const shown = page.waitForFunction((text) => document.querySelector('table.events tbody tr td:last-child')?.textContent === text, last, { timeout: 60_000, polling: 'raf' });
  await Promise.all([received, shown]);
  const guiDone = performance.now();
  return { socket: socketDone - start, gui: guiDone - start };
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'strata-bench-gui-'));
  mkdirSync(join(root, 'media'));
  const agent = await startAgent({ dataDir: join(root, 'data'), version: 'bench', mediaRoots: [join(root, 'media')] });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    env: { ...process.env, XDG_CONFIG_HOME: join(root, 'chromium-config') },
  });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
    await page.goto(agent.uiUrl);

    const socket: number[] = [];
    const gui: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Every round starts from a freshly loaded event log (its first page), as a user opening it would.
      await page.goto('about:blank');
      await page.goto(`${agent.url}/#/events`);
      await page.getByText('New events appear as they happen.').waitFor();
      const times = await liveBurst(agent, page, round);
      socket.push(times.socket);
      gui.push(times.gui);
    }
    emit('gui.live-events.burst', BURST, 'events');
    emit('gui.live-events.websocket-client', median(socket), 'ms');
    emit('gui.live-events.event-log-view', median(gui), 'ms');
    emit('gui.live-events.ratio', median(gui) / median(socket), 'x');

    const client = createHttpClient({ baseUrl: agent.url, token: agent.token });
    for (let i = 0; i < FOLDERS; i++) {
      mkdirSync(join(root, `folder-${i}`));
      await client.addFolder({ path: join(root, `folder-${i}`), name: `Folder ${i}` });
    }
    const fetches: number[] = [];
    const renders: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let start = performance.now();
      await client.listFolders({});
      fetches.push(performance.now() - start);
      await page.goto('about:blank');
      start = performance.now();
      await page.goto(`${agent.url}/#/`);
      await page.waitForFunction((n) => document.querySelectorAll('.folder-cards > li').length === n, FOLDERS, { timeout: 60_000 });
      renders.push(performance.now() - start);
    }
    emit('gui.dashboard.folders', FOLDERS, 'folders');
    emit('gui.dashboard.http-list', median(fetches), 'ms');
    emit('gui.dashboard.first-render', median(renders), 'ms');
    emit('gui.dashboard.ratio', median(renders) / median(fetches), 'x');
  } finally {
    await browser.close();
    await agent.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
