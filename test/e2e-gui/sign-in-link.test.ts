// Signing the browser in with the agent's GUI link, in Chromium against a real agent: the token rides in
// the address fragment (which a browser never sends to a server), leaves the address bar at once, and
// goes out only on the page's own requests, as a Bearer header (and the event stream's subprotocol). No
// cookie is set: cookies are not kept apart by port, so one would reach every other server on 127.0.0.1
// the browser visits afterwards. A reload stays signed in; another tab, or another port, is not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { E2E, openBrowser, startAgentProcess } from './gui-harness.js';

const NOT_SIGNED_IN = 'This page is not signed in to the Strata agent.';

/** Another web server on 127.0.0.1 (any local user may run one), recording everything browsers send it. */
async function otherLoopbackServer(t: { after(fn: () => unknown): void }): Promise<{ url: string; seen: Array<{ url: string; headers: IncomingHttpHeaders }> }> {
  const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  const server = createServer((request, response) => {
    seen.push({ url: request.url ?? '', headers: request.headers });
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>elsewhere</title><h1>elsewhere</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

test('the link signs in by a header only: no cookie, no token left in the address, nothing for other loopback ports', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  assert.match(agent.ui, /\/#token=/, 'the token is in the fragment');
  const context = await openBrowser(t);
  const page = await context.newPage();
  const apiCalls: Array<Promise<{ path: string; headers: Record<string, string> }>> = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/')) apiCalls.push(request.allHeaders().then((headers) => ({ path: url.pathname, headers })));
  });
  const socketUrls: string[] = [];
  page.on('websocket', (socket) => socketUrls.push(socket.url()));

  await page.goto(agent.ui);
  await page.getByRole('heading', { level: 1, name: 'Protected folders' }).waitFor();
  await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor(); // the event stream let the page in
  const address = new URL(page.url());
  assert.deepEqual([address.search, address.hash], ['', ''], 'the token left the address bar');
  assert.deepEqual(await context.cookies(), [], 'no cookie');
  const calls = await Promise.all(apiCalls);
  assert.ok(calls.length > 0, 'the page called the API');
  for (const call of calls) {
    assert.equal(call.headers.authorization, `Bearer ${agent.token}`, `${call.path} carries the token as a header`);
    assert.equal(call.headers.cookie, undefined, `${call.path} carries no cookie`);
  }
  assert.ok(socketUrls.length > 0, 'the page opened the event stream');
  for (const url of socketUrls) assert.ok(!url.includes(agent.token), `the event stream's address holds no token: ${url}`);

  // The page the user visits next on another port of 127.0.0.1, in this tab and in a new one, learns nothing.
  const other = await otherLoopbackServer(t);
  await page.goto(`${other.url}/next`);
  await page.getByRole('heading', { name: 'elsewhere' }).waitFor();
  const stranger = await context.newPage();
  await stranger.goto(`${other.url}/tab`);
  await stranger.getByRole('heading', { name: 'elsewhere' }).waitFor();
  assert.ok(other.seen.some((request) => request.url === '/next') && other.seen.some((request) => request.url === '/tab'));
  for (const request of other.seen) {
    assert.ok(!JSON.stringify(request).includes(agent.token), `the other server received the token: ${JSON.stringify(request)}`);
  }
});

test('a reload stays signed in; a tab opened without the link is not', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const context = await openBrowser(t);
  const page = await context.newPage();
  await page.goto(agent.ui);
  await page.getByRole('heading', { level: 1, name: 'Protected folders' }).waitFor();
  await page.evaluate(() => (window.location.hash = '#/settings'));
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
  assert.equal(await page.getByText(NOT_SIGNED_IN, { exact: false }).count(), 0, 'still signed in after the reload');

  const bare = await context.newPage();
  await bare.goto(`${agent.url}/`);
  await bare.getByText(NOT_SIGNED_IN, { exact: false }).waitFor();
  assert.equal(await bare.getByRole('navigation', { name: 'Sections' }).count(), 0);
});

test('a page without the link says it is not signed in once, and shows no view before the agent has answered', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const context = await openBrowser(t);
  const page = await context.newPage();
  // The page's first check of the agent is held while the page is looked at.
  let releaseStatus!: () => void;
  const statusHeld = new Promise<void>((resolve) => (releaseStatus = resolve));
  let statusAsked!: () => void;
  const asked = new Promise<void>((resolve) => (statusAsked = resolve));
  await page.route('**/api/status', async (route) => {
    statusAsked();
    await statusHeld;
    await route.continue();
  });
  await page.goto(`${agent.url}/`);
  await asked;
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  assert.equal(await page.getByRole('heading', { level: 1 }).count(), 0, 'no view before the agent has answered');
  assert.equal(await page.getByText(NOT_SIGNED_IN, { exact: false }).count(), 0, 'no panel of a view says it on its own');
  releaseStatus();
  await page.getByText(NOT_SIGNED_IN, { exact: false }).waitFor();
  assert.equal(await page.getByText(NOT_SIGNED_IN, { exact: false }).count(), 1, 'said once');
});
