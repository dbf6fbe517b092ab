// The bridge's main-process side over a real agent (real HTTP, real SQLite): only the app window's main
// frame may call, every payload is validated against the main/api schemas before anything runs, and
// the agent's errors cross the bridge with their code, message and path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createIpcHandlers, UntrustedSenderError, type DesktopServices } from '../../app/ipc-handlers.js';
import { autostartPath, isAutostartEnabled, setAutostart } from '../../app/xdg-autostart.js';
import type { IpcSender } from '../../app/trusted-sender.js';
import { ApiErrorBody, type StrataApi } from '../../main/api/index.js';
import { APP_WINDOW, TRUSTED, WINDOW_ID, appAgent, tempDir, type Cleanup } from './app-fixtures.js';

function services(api: StrataApi, t: Cleanup): DesktopServices {
  const autostart = autostartPath({ XDG_CONFIG_HOME: join(tempDir(t), 'config') });
  return {
    api,
    pickFolder: async () => '/chosen/by/dialog',
    getStartAtLogin: async () => isAutostartEnabled(autostart),
    setStartAtLogin: async (enabled) => setAutostart(enabled, ['/opt/Strata/strata', '--hidden'], autostart),
  };
}

function errorOf(answer: { ok: boolean; error?: unknown }) {
  assert.equal(answer.ok, false, 'expected the call to fail');
  return ApiErrorBody.parse(answer.error).error;
}

test('a call from the main frame of the app window runs the operation and answers with its value', async (t) => {
  const agent = await appAgent(t);
  const handlers = createIpcHandlers(services(agent.api, t), TRUSTED);
  const folder = join(agent.root, 'Documents');
  mkdirSync(folder);
  const added = await handlers.call(APP_WINDOW, 'addFolder', { path: folder, name: 'Docs' });
  assert.equal(added.ok, true);
  const listed = await handlers.call(APP_WINDOW, 'listFolders', {});
  assert.deepEqual(listed.ok && (listed.value as { folders: Array<{ name: string; path: string }> }).folders.map((f) => [f.name, f.path]), [['Docs', folder]]);
});

test('every IPC sender is checked: another window, a subframe, another origin or a closed frame is refused and nothing runs', async (t) => {
  const agent = await appAgent(t);
  const handlers = createIpcHandlers(services(agent.api, t), TRUSTED);
  const folder = join(agent.root, 'Photos');
  mkdirSync(folder);
  const strangers: Array<[string, IpcSender]> = [
    ['another window', { ...APP_WINDOW, webContentsId: WINDOW_ID + 1 }],
    ['a subframe', { ...APP_WINDOW, isMainFrame: false }],
    ['a web page', { ...APP_WINDOW, frameUrl: 'https://evil.example/' }],
    ['file://', { ...APP_WINDOW, frameUrl: 'file:///tmp/index.html' }],
    ['another app host', { ...APP_WINDOW, frameUrl: 'app://evil/index.html' }],
    ['the agent page over http', { ...APP_WINDOW, frameUrl: `${agent.url}/` }],
    ['a closed frame', { ...APP_WINDOW, frameUrl: null }],
    ['a malformed URL', { ...APP_WINDOW, frameUrl: 'not a url' }],
  ];
  for (const [who, sender] of strangers) {
    await assert.rejects(handlers.call(sender, 'addFolder', { path: folder }), UntrustedSenderError, who);
    await assert.rejects(handlers.pickFolder(sender), UntrustedSenderError, who);
    await assert.rejects(handlers.setStartAtLogin(sender, true), UntrustedSenderError, who);
    await assert.rejects(handlers.getDesktopSettings(sender), UntrustedSenderError, who);
  }
  assert.deepEqual((await agent.api.listFolders({})).folders, [], 'no refused call may have run');
  assert.deepEqual(await handlers.getDesktopSettings(APP_WINDOW), { startAtLogin: false }, 'no refused call may have changed start at login');
});

test('payloads are validated against the main/api schemas before anything runs, each problem with its path', async (t) => {
  const agent = await appAgent(t);
  const handlers = createIpcHandlers(services(agent.api, t), TRUSTED);
  const bad = errorOf(await handlers.call(APP_WINDOW, 'addFolder', { path: 'relative/path', policy: { scan: { settings: { action: 'explode' } } } }));
  assert.equal(bad.code, 'invalid-request');
  assert.deepEqual(bad.problems?.map((p) => p.path), ['$.path', '$.policy.scan.settings.action']);
  const extra = errorOf(await handlers.call(APP_WINDOW, 'listFolders', { sneaky: true }));
  assert.equal(extra.code, 'invalid-request');
  assert.equal(extra.path, '$.sneaky');
  assert.equal(errorOf(await handlers.call(APP_WINDOW, 'addFolder', 'not an object')).code, 'invalid-request');
  assert.deepEqual((await agent.api.listFolders({})).folders, []);
});

test('an operation that is not in the API table is refused, whatever its name or type', async (t) => {
  const agent = await appAgent(t);
  const handlers = createIpcHandlers(services(agent.api, t), TRUSTED);
  for (const name of ['dropDatabase', '__proto__', 'constructor', 'toString', 42, null, { name: 'status' }]) {
    assert.equal(errorOf(await handlers.call(APP_WINDOW, name, {})).code, 'not-found', String(name));
  }
});

test("the agent's errors keep their code, message and path across the bridge", async (t) => {
  const agent = await appAgent(t);
  const handlers = createIpcHandlers(services(agent.api, t), TRUSTED);
  const missing = errorOf(await handlers.call(APP_WINDOW, 'getFolder', { folder: 'nope' }));
  assert.deepEqual([missing.code, missing.path], ['not-found', '$.folder']);
  const folder = join(agent.root, 'Music');
  mkdirSync(folder);
  assert.equal((await handlers.call(APP_WINDOW, 'addFolder', { path: folder })).ok, true);
  const again = errorOf(await handlers.call(APP_WINDOW, 'addFolder', { path: folder }));
  assert.equal(again.code, 'conflict');
  assert.match(again.message, /Music/);
});

test('start at login takes only true or false, and writes or removes the autostart entry', async (t) => {
  const agent = await appAgent(t);
  const handlers = createIpcHandlers(services(agent.api, t), TRUSTED);
  await assert.rejects(handlers.setStartAtLogin(APP_WINDOW, 'yes'), /start at login takes true or false/);
  assert.deepEqual(await handlers.getDesktopSettings(APP_WINDOW), { startAtLogin: false });
  assert.deepEqual(await handlers.setStartAtLogin(APP_WINDOW, true), { startAtLogin: true });
  assert.deepEqual(await handlers.setStartAtLogin(APP_WINDOW, false), { startAtLogin: false });
});

test('the folder picker answers the trusted window only', async (t) => {
  const agent = await appAgent(t);
  const handlers = createIpcHandlers(services(agent.api, t), TRUSTED);
  assert.equal(await handlers.pickFolder(APP_WINDOW), '/chosen/by/dialog');
});
