// Pin, unpin and recall through the agent's API name one file of the folder by its own name: a symbolic
// link (to a file inside, to a directory inside, leading outside), a path through a directory link, a
// named pipe, a socket or a device node is refused with an error naming the path and what it is, and
// nothing is recalled, pinned or touched — neither the link's target nor a file outside the folder.
// A real agent over a real folder and tier.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHttpClient, type StrataApi } from '../../main/api/index.js';
import { listenSocket, makeFifo } from '../volumes/host-special-files.js';
import { rejectsWith } from './agent-fixtures.js';
import { runningAgent } from './running-agent.js';

const SIZE = 64 * 1024;
const OLD = new Date(Date.now() - 400 * 86_400_000);

function oldFile(path: string, fill: number): void {
  writeFileSync(path, Buffer.alloc(SIZE, fill));
  utimesSync(path, OLD, OLD);
}

/** A real agent whose folder 'Linked' holds real.bin and sub/inner.bin, both migrated to stubs. */
async function linkedFolder(t: Parameters<typeof runningAgent>[0]) {
  const agent = await runningAgent(t);
  const api = createHttpClient({ baseUrl: agent.url, token: agent.token }) as StrataApi;
  const root = join(agent.dataDir, '..');
  const folder = join(root, 'Linked');
  mkdirSync(join(folder, 'sub'), { recursive: true });
  mkdirSync(join(root, 'cold'));
  oldFile(join(folder, 'real.bin'), 1);
  oldFile(join(folder, 'sub', 'inner.bin'), 2);
  await api.setTier({ name: 'nas', path: join(root, 'cold') });
  await api.addFolder({ path: folder, name: 'Linked', policy: { hsm: { settings: { tier: 'nas', minAgeDays: 30, minSizeBytes: 0 } } } });
  await api.runJobs({ folder: 'Linked', protection: 'hsm' });
  const isStub = (relative: string) => statSync(join(folder, relative)).size < SIZE;
  assert.ok(isStub('real.bin') && isStub('sub/inner.bin'), 'both files are stubs');
  return { api, root, folder, isStub };
}

test('pin, unpin and recall refuse a symbolic link, naming it; neither its target nor a file outside the folder is touched', async (t) => {
  const { api, root, folder, isStub } = await linkedFolder(t);
  const outside = join(root, 'outside.bin');
  oldFile(outside, 3);
  symlinkSync('real.bin', join(folder, 'link-to-real'));
  symlinkSync('sub', join(folder, 'link-to-sub'));
  symlinkSync(outside, join(folder, 'link-out'));
  symlinkSync('nothing-here', join(folder, 'dangling'));

  const refusals: [string, RegExp][] = [
    ['link-to-real', /^link-to-real is a symbolic link/],
    ['link-to-sub', /^link-to-sub is a symbolic link/],
    ['link-to-sub/inner.bin', /^link-to-sub\/inner\.bin goes through link-to-sub, a symbolic link/],
    ['link-out', /^link-out is a symbolic link/],
    ['dangling', /^dangling is a symbolic link/],
  ];
  for (const [path, message] of refusals) {
    await rejectsWith(api.recallFile({ folder: 'Linked', path }), 'invalid-request', '$.path', message);
    await rejectsWith(api.pinFile({ folder: 'Linked', path }), 'invalid-request', '$.path', message);
    await rejectsWith(api.unpinFile({ folder: 'Linked', path }), 'invalid-request', '$.path', message);
  }

  assert.ok(isStub('real.bin') && isStub('sub/inner.bin'), 'the targets stay in cold storage');
  assert.deepEqual((await api.coldStorageStatus({ folder: 'Linked' })).pinned, [], 'nothing pinned');
  assert.deepEqual(readFileSync(outside), Buffer.alloc(SIZE, 3), 'the file outside is untouched');
  assert.deepEqual(statSync(outside).mtime, OLD);
  // The files themselves, by their own names, are still served.
  assert.deepEqual(await api.recallFile({ folder: 'Linked', path: 'real.bin' }), { path: 'real.bin', recalled: true, size: SIZE });
  assert.deepEqual(await api.pinFile({ folder: 'Linked', path: 'sub/inner.bin' }), { path: 'sub/inner.bin', pinned: true, recalled: true });
});

test('pin, unpin and recall refuse a named pipe and a socket, saying which it is; neither is opened', async (t) => {
  const { api, folder } = await linkedFolder(t);
  makeFifo(join(folder, 'pipe'));
  const closeSocket = await listenSocket(join(folder, 'sock'));
  t.after(closeSocket);

  for (const [path, kind] of [['pipe', 'a named pipe'], ['sock', 'a socket']] as const) {
    const message = new RegExp(`^${path} is ${kind}`);
    await rejectsWith(api.recallFile({ folder: 'Linked', path }), 'invalid-request', '$.path', message);
    await rejectsWith(api.pinFile({ folder: 'Linked', path }), 'invalid-request', '$.path', message);
    await rejectsWith(api.unpinFile({ folder: 'Linked', path }), 'invalid-request', '$.path', message);
  }
  assert.deepEqual((await api.coldStorageStatus({ folder: 'Linked' })).pinned, []);
});

const root = process.getuid?.() === 0;

test('pin and recall refuse a device node, saying it is one', { skip: root ? false : 'making a device node (mknod) needs root' }, async (t) => {
  const { api, folder } = await linkedFolder(t);
  // The null device's numbers (1, 3): harmless even if something did open it.
  execFileSync('mknod', [join(folder, 'null'), 'c', '1', '3']);
  await rejectsWith(api.recallFile({ folder: 'Linked', path: 'null' }), 'invalid-request', '$.path', /^null is a character device/);
  await rejectsWith(api.pinFile({ folder: 'Linked', path: 'null' }), 'invalid-request', '$.path', /^null is a character device/);
  assert.deepEqual((await api.coldStorageStatus({ folder: 'Linked' })).pinned, []);
});
