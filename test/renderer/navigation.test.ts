// The GUI's addresses: every view has one, they survive a round trip, odd input lands on the dashboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hrefOf, parseRoute, type Route } from '../../renderer/src/state/router.js';

test('every view has an address that parses back to it', () => {
  const routes: Route[] = [
    { view: 'dashboard' }, { view: 'add-folder' }, { view: 'folder', id: 'a b/c' }, { view: 'scans' }, { view: 'quarantine' },
    { view: 'events' }, { view: 'events', folder: 'f 1' }, { view: 'settings' }, { view: 'policy' },
  ];
  for (const route of routes) assert.deepEqual(parseRoute(hrefOf(route)), route, hrefOf(route));
});

test('unknown or empty addresses open the dashboard', () => {
  for (const hash of ['', '#', '#/', '#/nope', '#/folders', '#//']) assert.deepEqual(parseRoute(hash), { view: 'dashboard' }, hash);
});
