// The compiled preload, run as Electron runs a sandboxed preload (a CommonJS script whose require gives
// only 'electron'): it exposes exactly one narrow API as window.strata, never ipcRenderer or an IPC
// event, and uses only channels the main process handles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { IPC_CHANNELS } from '../../app/ipc-channels.js';

const PRELOAD = fileURLToPath(new URL('../../app/preload.cjs', import.meta.url));

interface Recorded {
  exposed: Array<[string, Record<string, unknown>]>;
  ipc: Array<[string, string, unknown[]]>;
  listeners: Map<string, Set<(...args: unknown[]) => void>>;
}

/** Runs the preload with an 'electron' module that records what the preload does with it. */
function runPreload(): Recorded {
  const recorded: Recorded = { exposed: [], ipc: [], listeners: new Map() };
  const ipcRenderer = {
    invoke: async (channel: string, ...args: unknown[]) => {
      recorded.ipc.push(['invoke', channel, args]);
      return { ok: true, value: null };
    },
    send: (channel: string, ...args: unknown[]) => void recorded.ipc.push(['send', channel, args]),
    on: (channel: string, listener: (...args: unknown[]) => void) => {
      recorded.listeners.set(channel, (recorded.listeners.get(channel) ?? new Set()).add(listener));
    },
    removeListener: (channel: string, listener: (...args: unknown[]) => void) => void recorded.listeners.get(channel)?.delete(listener),
  };
  const contextBridge = { exposeInMainWorld: (name: string, api: Record<string, unknown>) => void recorded.exposed.push([name, api]) };
  const sandboxRequire = (name: string) => {
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot require '${name}'`);
    return { contextBridge, ipcRenderer };
  };
  const module = { exports: {} };
  runInNewContext(readFileSync(PRELOAD, 'utf8'), { require: sandboxRequire, module, exports: module.exports }, { filename: PRELOAD });
  return recorded;
}

test('the preload exposes one API, window.strata, made of functions only', () => {
  const { exposed } = runPreload();
  assert.equal(exposed.length, 1);
  const [name, api] = exposed[0]!;
  assert.equal(name, 'strata');
  assert.deepEqual(Object.keys(api).sort(), ['call', 'getDesktopSettings', 'pickFolder', 'setStartAtLogin', 'subscribe']);
  for (const [key, value] of Object.entries(api)) assert.equal(typeof value, 'function', key);
});

test('every call goes to a channel the main process handles, with the arguments as given', async () => {
  const recorded = runPreload();
  const api = recorded.exposed[0]![1] as Record<string, (...args: unknown[]) => unknown>;
  await api.call!('listFolders', {});
  await api.pickFolder!();
  await api.getDesktopSettings!();
  await api.setStartAtLogin!(true);
  const known = new Set<string>(Object.values(IPC_CHANNELS));
  for (const [, channel] of recorded.ipc) assert.ok(known.has(channel), `${channel} is not a main-process channel`);
  assert.deepEqual(recorded.ipc, [
    ['invoke', IPC_CHANNELS.call, ['listFolders', {}]],
    ['invoke', IPC_CHANNELS.pickFolder, []],
    ['invoke', IPC_CHANNELS.getDesktopSettings, []],
    ['invoke', IPC_CHANNELS.setStartAtLogin, [true]],
  ]);
});

test('a stream listener gets the message only (never the IPC event, which reaches ipcRenderer), and can stop', () => {
  const recorded = runPreload();
  const api = recorded.exposed[0]![1] as { subscribe: (listener: (...args: unknown[]) => void) => () => void };
  const received: unknown[][] = [];
  const stop = api.subscribe((...args) => received.push(args));
  assert.deepEqual(recorded.ipc, [['send', IPC_CHANNELS.streamReady, []]]);
  const listeners = recorded.listeners.get(IPC_CHANNELS.stream)!;
  assert.equal(listeners.size, 1);
  const event = { sender: { invoke: () => 'ipcRenderer itself' } };
  for (const listener of listeners) listener(event, { type: 'folder-removed', id: 'x' });
  assert.deepEqual(received, [[{ type: 'folder-removed', id: 'x' }]]);
  stop();
  assert.equal(listeners.size, 0);
});
