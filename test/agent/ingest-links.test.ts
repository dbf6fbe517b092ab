// Ingest and symbolic links: a link planted in a protected folder is not taken in (one leading outside
// never has its target's content read into the folder or handed to the quarantine; one to a file inside
// stays a link, its target taken in where it lies), and a file whose directory was swapped for a link to
// elsewhere is not read.

import assert from 'node:assert/strict';
import { lstat, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ingestFile } from '../../main/agent/ingest/ingest-file.js';
import { tempDir } from './agent-fixtures.js';
import { eventually, ingestRig } from './ingest-rig.js';

const SECRET = 'outside secret';

async function outsideSecret(t: Parameters<typeof tempDir>[0]): Promise<string> {
  const outside = tempDir(t, 'strata-outside-');
  await writeFile(join(outside, 'secret.txt'), SECRET);
  return outside;
}

/** Every regular file below `directory` (links left out), with its content. */
async function regularFiles(directory: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(directory, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(await readFile(join(entry.parentPath, entry.name), 'utf8'));
  }
  return out;
}

describe('ingest: links', () => {
  it('a link planted in the folder is not taken in, whether it leads outside or to a file inside', async (t) => {
    const outside = await outsideSecret(t);
    const rig = await ingestRig(t);
    await writeFile(join(rig.folder, 'real.txt'), 'inside');
    await symlink(join(outside, 'secret.txt'), join(rig.folder, 'f'));
    await symlink('real.txt', join(rig.folder, 'alias'));
    const outcomeOf = (path: string) => rig.outcomes.find((o) => o.path === path)?.outcome;
    await eventually(() => ['f', 'alias', 'real.txt'].every((path) => outcomeOf(path) !== undefined), 'an ingest outcome for each name');

    assert.equal(outcomeOf('real.txt')!.kind, 'ingested');
    assert.equal(outcomeOf('f')!.kind, 'unchanged', JSON.stringify(outcomeOf('f')));
    assert.equal(outcomeOf('alias')!.kind, 'unchanged', JSON.stringify(outcomeOf('alias')));
    assert.ok((await lstat(join(rig.folder, 'f'))).isSymbolicLink());
    assert.ok((await lstat(join(rig.folder, 'alias'))).isSymbolicLink());
    assert.equal(await readFile(join(outside, 'secret.txt'), 'utf8'), SECRET);
    assert.ok(!(await regularFiles(rig.folder)).includes(SECRET), 'no copy of the outside file is in the folder');
  });

  it('a file whose directory was swapped for a link leading outside is not read', async (t) => {
    const outside = await outsideSecret(t);
    const rig = await ingestRig(t);
    await mkdir(join(rig.folder, 'sub'));
    await symlink(outside, join(rig.folder, 'sub', 'swapped'));
    const outcome = await ingestFile({ root: rig.folder, stack: rig.stack, ledger: rig.ledger, protections: () => [] }, 'sub/swapped/secret.txt', new AbortController().signal);
    assert.equal(outcome.kind, 'unchanged', JSON.stringify(outcome));
    assert.deepEqual(await readdir(outside), ['secret.txt']);
  });
});
