// The tray's state, tooltip and menu from the agent's status: protected, needs attention (and why),
// paused, or not running; actions the agent cannot carry out are shown disabled and say so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AGENT_TRAY_CAPABILITIES, trayModel } from '../../app/tray-model.js';
import type { AgentStatus, FolderRuntime } from '../../main/api/index.js';

function runtime(change: Partial<FolderRuntime> = {}): FolderRuntime {
  return {
    state: 'running',
    message: null,
    protections: [{ kind: 'scan', state: 'active', altitude: '320000', message: null }],
    ingest: { pending: 0, done: 3, failed: 0 },
    ...change,
  };
}

function status(folders: Array<[string, FolderRuntime]>): AgentStatus {
  return {
    version: 'test', pid: 1, dataDir: '/d', startedAt: new Date(0).toISOString(), jobs: [], mediaRoots: [], media: [], pause: { paused: false, since: null, until: null },
    folders: folders.map(([name, r], i) => ({ id: String(i), name, runtime: r })),
  };
}

const ALL = { lockAll: true, scanNow: true, pause: true };

test('every folder running with its protections active is "protected"', () => {
  const model = trayModel(status([['Docs', runtime()], ['Photos', runtime()]]), ALL);
  assert.equal(model.state, 'protected');
  assert.equal(model.tooltip, 'Strata: 2 folders protected');
});

test('a failed or missing folder, a failed or unavailable protection, or failed ingests need attention, naming the folders', () => {
  const cases: FolderRuntime[] = [
    runtime({ state: 'failed' }),
    runtime({ state: 'missing' }),
    runtime({ ingest: { pending: 0, done: 1, failed: 2 } }),
    runtime({ protections: [{ kind: 'crypt', state: 'unavailable', altitude: '141000', message: 'not in this build' }] }),
    runtime({ protections: [{ kind: 'hsm', state: 'failed', altitude: '185000', message: 'tier offline' }] }),
  ];
  for (const trouble of cases) {
    const model = trayModel(status([['Docs', runtime()], ['Photos', trouble]]), ALL);
    assert.equal(model.state, 'attention', JSON.stringify(trouble));
    assert.equal(model.tooltip, 'Strata: Photos needs attention');
  }
});

test('no folder at all needs attention; every folder stopped is paused; no agent is stopped, with the reason', () => {
  assert.equal(trayModel(status([]), ALL).state, 'attention');
  assert.equal(trayModel(status([['Docs', runtime({ state: 'stopped' })]]), ALL).state, 'paused');
  const stopped = trayModel(null, ALL, 'connection refused');
  assert.equal(stopped.state, 'stopped');
  assert.equal(stopped.tooltip, 'Strata: protection is not running — connection refused');
});

test('the menu is Open, Lock all, Scan now, Pause for 1 hour, Quit; agent actions need a running agent', () => {
  const running = trayModel(status([['Docs', runtime()]]), ALL);
  assert.deepEqual(running.items.map((i) => [i.action, i.label, i.enabled]), [
    ['open', 'Open Strata', true],
    ['lock-all', 'Lock all', true],
    ['scan-now', 'Scan now', true],
    ['pause', 'Pause protection for 1 hour', true],
    ['quit', 'Quit Strata', true],
  ]);
  const down = trayModel(null, ALL);
  assert.deepEqual(down.items.filter((i) => i.enabled).map((i) => i.action), ['open', 'quit']);
});

test('actions the agent cannot carry out are disabled and say so, never silently dead; this agent can do them all', () => {
  const model = trayModel(status([['Docs', runtime()]]), { lockAll: true, scanNow: false, pause: false });
  const byAction = new Map(model.items.map((i) => [i.action, i]));
  assert.deepEqual([byAction.get('lock-all')!.enabled, byAction.get('lock-all')!.label], [true, 'Lock all']);
  for (const action of ['scan-now', 'pause'] as const) {
    assert.equal(byAction.get(action)!.enabled, false, action);
    assert.match(byAction.get(action)!.label, /not available in this version/);
  }
  const agent = trayModel(status([['Docs', runtime()]]), AGENT_TRAY_CAPABILITIES);
  assert.ok(agent.items.every((i) => i.enabled), 'the agent offers every tray action');
});

test('a paused agent shows "paused" with when it resumes, and the menu offers Resume instead of Pause', () => {
  const until = new Date(Date.now() + 3_600_000).toISOString();
  const paused = { ...status([['Docs', runtime()]]), pause: { paused: true, since: new Date().toISOString(), until } };
  const model = trayModel(paused, AGENT_TRAY_CAPABILITIES);
  assert.equal(model.state, 'paused');
  assert.match(model.tooltip, /^Strata: protection is paused until \d\d:\d\d; it resumes by itself$/);
  assert.deepEqual(model.items.map((i) => i.action), ['open', 'lock-all', 'scan-now', 'resume', 'quit']);
});
