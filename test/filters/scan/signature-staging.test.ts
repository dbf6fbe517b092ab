// The staging folders of signature imports a killed process left in <data dir>/signatures: swept when
// the library opens. Real imports in child processes, blocked mid-staging: the one killed leaves a
// leftover that is removed; the one still alive keeps its staging folder.

import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openStore } from '../../../main/store/index.js';
import { UNTAGGED_TEMP_AGE_MS } from '../../../main/store/temp-owner.js';
import { SIGNATURE_DIR, SignatureLibrary } from '../../../filters/scan/storage/signature-library.js';
import { stagingNameFor } from '../../../filters/scan/storage/import-staging.js';
import { tempDir } from './helpers.js';

const CHILD = new URL('./signature-import-child.js', import.meta.url).pathname;

interface Importer {
  child: ChildProcess;
  exited: Promise<void>;
}

/** An import in another process, blocked once its staging folder exists. */
async function startImporter(dataDir: string, source: string): Promise<Importer> {
  const child = spawn(process.execPath, [CHILD, dataDir, source], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const importing = await new Promise<boolean>((resolve) => {
    child.stdout!.once('data', () => resolve(true));
    child.on('exit', () => resolve(false));
  });
  assert.ok(importing, 'the import ended before its staging folder existed');
  return { child, exited };
}

async function kill(importer: Importer): Promise<void> {
  importer.child.kill('SIGKILL');
  await importer.exited;
}

/** A source folder whose only database file is a FIFO: an import of it blocks reading it. */
function blockingSource(t: Parameters<typeof tempDir>[0]): string {
  const source = tempDir(t, 'strata-sigs-fifo-');
  execFileSync('mkfifo', [join(source, 'held.hdb')]);
  return source;
}

const stagingIn = (dataDir: string): string[] => readdirSync(join(dataDir, SIGNATURE_DIR)).filter((name) => name.startsWith('.staging-')).sort();

/** Opens the library in this process (which sweeps) and returns what the sweep did. */
async function openLibrary(dataDir: string) {
  const store = openStore(dataDir);
  try {
    return await new SignatureLibrary(dataDir, store.db).leftovers;
  } finally {
    store.close();
  }
}

describe('signature library: staging folders of interrupted imports', () => {
  it('a killed import\'s staging folder is removed when the library opens; a live import\'s is kept', async (t) => {
    const dataDir = tempDir(t, 'strata-sigs-data-');
    openStore(dataDir).close();
    const live = await startImporter(dataDir, blockingSource(t));
    t.after(() => kill(live));
    const [held] = stagingIn(dataDir);
    const crashed = await startImporter(dataDir, blockingSource(t));
    await kill(crashed);
    const leftover = stagingIn(dataDir).find((name) => name !== held)!;
    assert.ok(held !== undefined && leftover !== undefined, 'both imports had a staging folder');

    assert.deepEqual(await openLibrary(dataDir), { removed: [leftover], kept: [held], failed: [] });
    assert.deepEqual(stagingIn(dataDir), [held]);

    await kill(live);
    assert.deepEqual((await openLibrary(dataDir)).removed, [held]);
    assert.deepEqual(stagingIn(dataDir), []);
  });

  it('staging folders of this process are kept; an untagged one (an older Strata) goes once untouched for a day', async (t) => {
    const dataDir = tempDir(t, 'strata-sigs-data-');
    const mine = stagingNameFor();
    const oldUntagged = '.staging-0123456789ab';
    const freshUntagged = '.staging-ba9876543210';
    for (const name of [mine, oldUntagged, freshUntagged]) mkdirSync(join(dataDir, SIGNATURE_DIR, name), { recursive: true });
    const longAgo = new Date(Date.now() - UNTAGGED_TEMP_AGE_MS - 60_000);
    utimesSync(join(dataDir, SIGNATURE_DIR, oldUntagged), longAgo, longAgo);
    assert.deepEqual((await openLibrary(dataDir)).removed, [oldUntagged]);
    assert.deepEqual(stagingIn(dataDir), [freshUntagged, mine].sort());
  });
});
