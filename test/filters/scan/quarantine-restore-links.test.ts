// Restoring from quarantine never follows a link on the way to the origin: a folder of the origin's path
// that has become a symbolic link (to a folder outside the protected one) is refused, naming it, whether
// it is the file's own folder, a folder above it, or a link on the way to folders the restore would
// create; nothing lands outside and the entry stays in quarantine. Missing folders are created; a path
// the user names with `to` goes where its links lead (the user chose it).

import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { QuarantineError, QuarantineStore, type QuarantineEntry } from '../../../filters/scan/quarantine/quarantine-store.js';
import { bufferSource } from '../../../filters/scan/source/byte-source.js';
import { tempDir } from './helpers.js';

const INFECTED = Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*');

interface Setup {
  store: QuarantineStore;
  folder: string;
  outside: string;
  entry: QuarantineEntry;
}

/** A protected folder with Docs/sub/evil.exe quarantined from it, and a folder outside it. */
async function quarantined(t: Parameters<typeof tempDir>[0], origin = join('Docs', 'sub', 'evil.exe')): Promise<Setup> {
  const base = tempDir(t, 'strata-restore-');
  const store = await QuarantineStore.open(join(base, 'data'));
  t.after(() => store.close());
  const folder = join(base, 'Protected');
  const outside = join(base, 'outside');
  mkdirSync(join(folder, 'Docs', 'sub'), { recursive: true });
  mkdirSync(outside);
  const entry = await store.add({ originPath: join(folder, origin), signature: 'Eicar-Signature', foundBy: 'scan', content: bufferSource(INFECTED) });
  return { store, folder, outside, entry };
}

function refusedNaming(link: string) {
  return (error: unknown) => {
    assert.ok(error instanceof QuarantineError, String(error));
    assert.match(error.message, new RegExp(`${link.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is a symbolic link`));
    assert.match(error.message, /Nothing was restored/);
    return true;
  };
}

describe('restoring from quarantine through a link', () => {
  it('the origin\'s folder replaced by a link to a folder outside is refused, naming it; nothing lands outside, the entry stays', async (t) => {
    const { store, folder, outside, entry } = await quarantined(t);
    const sub = join(folder, 'Docs', 'sub');
    renameSync(sub, join(folder, 'sub-was'));
    symlinkSync(outside, sub);
    await assert.rejects(store.restore(entry.id, { acknowledgeInfected: true }), refusedNaming(sub));
    assert.deepEqual(readdirSync(outside), [], 'nothing written outside the folder');
    assert.deepEqual(store.list().map((e) => e.id), [entry.id], 'still in quarantine');
  });

  it('a link higher up (Docs → outside) is refused too, and with overwrite the file it leads to is left alone', async (t) => {
    const { store, folder, outside, entry } = await quarantined(t);
    const docs = join(folder, 'Docs');
    renameSync(docs, join(folder, 'Docs-was'));
    mkdirSync(join(outside, 'sub'));
    writeFileSync(join(outside, 'sub', 'evil.exe'), 'a file of someone else\'s');
    symlinkSync(outside, docs);
    await assert.rejects(store.restore(entry.id, { acknowledgeInfected: true, overwrite: true }), refusedNaming(docs));
    assert.equal(readFileSync(join(outside, 'sub', 'evil.exe'), 'utf8'), 'a file of someone else\'s');
    assert.deepEqual(readdirSync(join(outside, 'sub')), ['evil.exe'], 'no temporary file left there');
  });

  it('a link on the way to folders the restore creates is refused before any is made outside', async (t) => {
    const { store, folder, outside, entry } = await quarantined(t, join('Docs', 'gone', 'deeper', 'evil.exe'));
    symlinkSync(outside, join(folder, 'Docs', 'gone'));
    await assert.rejects(store.restore(entry.id, { acknowledgeInfected: true }), refusedNaming(join(folder, 'Docs', 'gone')));
    assert.deepEqual(readdirSync(outside), [], 'no folder created outside');
  });

  it('a dangling link where the file goes counts as a file there: refused without overwrite, replaced (the link itself) with it', async (t) => {
    const { store, folder, outside, entry } = await quarantined(t);
    const target = join(folder, 'Docs', 'sub', 'evil.exe');
    symlinkSync(join(outside, 'planted.exe'), target);
    await assert.rejects(store.restore(entry.id, { acknowledgeInfected: true }), /evil\.exe exists; restore elsewhere or allow overwriting/);
    await store.restore(entry.id, { acknowledgeInfected: true, overwrite: true });
    assert.ok(!lstatSync(target).isSymbolicLink(), 'the link was replaced by the file');
    assert.deepEqual(readFileSync(target), INFECTED);
    assert.equal(existsSync(join(outside, 'planted.exe')), false, 'nothing written where the link pointed');
  });

  it('missing folders of the origin are created and the file restored there', async (t) => {
    const { store, folder, entry } = await quarantined(t, join('Docs', 'new', 'deeper', 'evil.exe'));
    const restored = await store.restore(entry.id, { acknowledgeInfected: true });
    assert.equal(restored.path, join(folder, 'Docs', 'new', 'deeper', 'evil.exe'));
    assert.deepEqual(readFileSync(restored.path), INFECTED);
    assert.deepEqual(readdirSync(join(folder, 'Docs', 'new', 'deeper')), ['evil.exe'], 'no temporary file left');
    assert.deepEqual(store.list(), []);
  });

  it('a path the user names with `to` goes where its links lead', async (t) => {
    const { store, outside, entry } = await quarantined(t);
    const link = join(outside, '..', 'to-outside');
    symlinkSync(outside, link);
    const restored = await store.restore(entry.id, { acknowledgeInfected: true, to: join(link, 'kept', 'evil.exe') });
    assert.equal(restored.path, join(outside, 'kept', 'evil.exe'));
    assert.deepEqual(readFileSync(join(outside, 'kept', 'evil.exe')), INFECTED);
  });
});
