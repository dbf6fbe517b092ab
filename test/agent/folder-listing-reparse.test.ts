// The folder listing the GUI reads (listFiles), over a real agent on a real folder holding a symbolic link
// to a file, one to a directory and a named pipe: each is listed as the reparse point the local volume
// reports, with no size (Strata neither follows nor opens it), beside an ordinary file and directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHttpClient, type StrataApi } from '../../main/api/index.js';
import { makeFifo } from '../volumes/host-special-files.js';
import { runningAgent } from './running-agent.js';

test('the folder listing marks links and named pipes as reparse points, with no size, beside ordinary files and folders', async (t) => {
  const agent = await runningAgent(t);
  const api = createHttpClient({ baseUrl: agent.url, token: agent.token }) as StrataApi;
  const root = join(agent.dataDir, '..');
  const folder = join(root, 'Mixed');
  mkdirSync(join(folder, 'sub'), { recursive: true });
  mkdirSync(join(root, 'cold'));
  writeFileSync(join(folder, 'real.txt'), 'hello');
  writeFileSync(join(folder, 'sub', 'inner.txt'), 'inside');
  symlinkSync('real.txt', join(folder, 'link-to-file'));
  symlinkSync('sub', join(folder, 'link-to-dir'));
  makeFifo(join(folder, 'pipe'));
  await api.setTier({ name: 'nas', path: join(root, 'cold') });
  await api.addFolder({ path: folder, name: 'Mixed', policy: { hsm: { settings: { tier: 'nas', minAgeDays: 30, minSizeBytes: 0 } } } });

  const { entries } = await api.listFiles({ folder: 'Mixed' });
  assert.deepEqual(
    entries.map((e) => ({ name: e.name, directory: e.directory, reparse: e.reparse, size: e.size })),
    [
      { name: 'link-to-dir', directory: true, reparse: true, size: 0 },
      { name: 'sub', directory: true, reparse: false, size: 0 },
      { name: 'link-to-file', directory: false, reparse: true, size: 0 },
      { name: 'pipe', directory: false, reparse: true, size: 0 },
      { name: 'real.txt', directory: false, reparse: false, size: 5 },
    ],
  );
  const inner = (await api.listFiles({ folder: 'Mixed', path: 'sub' })).entries;
  assert.deepEqual(inner.map((e) => [e.name, e.reparse, e.size]), [['inner.txt', false, 6]]);
});
