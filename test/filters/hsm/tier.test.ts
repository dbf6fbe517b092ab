// The tier contract on the local-directory tier: content addressing, ranged reads, durability of puts,
// verification, the unplugged-disk and missing-object statuses, hostile ids, and tiers configured by name.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  STATUS_BAD_NETWORK_NAME, STATUS_CANCELLED, STATUS_DEVICE_NOT_READY, STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_NAME_COLLISION, STATUS_OBJECT_NAME_NOT_FOUND, statusName,
} from '../../../main/io/index.js';
import { openStore } from '../../../main/store/index.js';
import { LocalTier, initializeLocalTier } from '../../../filters/hsm/tier/local-tier.js';
import { TierError, readObject } from '../../../filters/hsm/tier/tier.js';
import { isTierUnreachable } from '../../../filters/hsm/tier/tier-status.js';
import { TierRegistry, addTier, listTiers, removeTier } from '../../../filters/hsm/tier/tier-config.js';
import { Journal } from '../../../filters/hsm/catalog/journal.js';
import { tempDir } from './temp-dir.js';

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? new TextEncoder().encode(part) : part;
}

async function newTier(t: Parameters<typeof tempDir>[0]): Promise<LocalTier> {
  const root = join(await tempDir(t, 'tier'), 'cold');
  await initializeLocalTier('cold', root);
  return new LocalTier('cold', root);
}

async function rejectsWith(promise: Promise<unknown>, status: number): Promise<TierError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TierError, `a TierError, got ${String(error)}`);
    assert.equal(statusName(error.status), statusName(status), error.message);
    return error;
  }
  assert.fail(`expected ${statusName(status)}`);
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('local tier', () => {
  it('objects are content-addressed by SHA-256 and stored under objects/<2 hex>/<id>', async (t) => {
    const tier = await newTier(t);
    const stored = await tier.put(chunks('hello, ', 'cold ', 'world'));
    assert.equal(stored.objectId, sha256('hello, cold world'));
    assert.equal(stored.sha256, stored.objectId);
    assert.equal(stored.size, 17);
    const onDisk = await readFile(join(tier.location, 'objects', stored.objectId.slice(0, 2), stored.objectId), 'utf8');
    assert.equal(onDisk, 'hello, cold world');
    assert.deepEqual(await readdir(join(tier.location, 'tmp')), [], 'no temporary file is left behind');
  });

  it('a byte range reads exactly those bytes; at or past the end it reads nothing', async (t) => {
    const tier = await newTier(t);
    const { objectId } = await tier.put(chunks('0123456789'));
    const into = new Uint8Array(4);
    assert.equal(await tier.read(objectId, 3, 4, into), 4);
    assert.equal(new TextDecoder().decode(into), '3456');
    assert.equal(await tier.read(objectId, 8, 4, into), 2);
    assert.equal(await tier.read(objectId, 10, 4, into), 0);
    const whole: Uint8Array[] = [];
    for await (const chunk of readObject(tier, objectId, 3)) whole.push(chunk);
    assert.deepEqual(whole.map((c) => c.length), [3, 3, 3, 1]);
    await rejectsWith(tier.read(objectId, -1, 1, into), STATUS_INVALID_PARAMETER);
  });

  it('the same content stored twice is one object; stat and delete see it', async (t) => {
    const tier = await newTier(t);
    const a = await tier.put(chunks('same'));
    const b = await tier.put(chunks('sa', 'me'));
    assert.equal(a.objectId, b.objectId);
    const ids: string[] = [];
    for await (const id of tier.list()) ids.push(id);
    assert.deepEqual(ids, [a.objectId]);
    assert.deepEqual(await tier.stat(a.objectId), { size: 4 });
    assert.equal(await tier.delete(a.objectId), true);
    assert.equal(await tier.stat(a.objectId), null);
    assert.equal(await tier.delete(a.objectId), false);
  });

  it('verify re-hashes the object and catches a damaged copy; a fresh put of the content heals it', async (t) => {
    const tier = await newTier(t);
    const { objectId } = await tier.put(chunks('precious bytes'));
    assert.equal(await tier.verify(objectId, objectId), true);
    const path = join(tier.location, 'objects', objectId.slice(0, 2), objectId);
    await writeFile(path, 'precious bytez');
    assert.equal(await tier.verify(objectId, objectId), false);
    await tier.put(chunks('precious bytes'));
    assert.equal(await tier.verify(objectId, objectId), true);
  });

  it('an unplugged tier (its root gone) is STATUS_DEVICE_NOT_READY, which counts as unreachable', async (t) => {
    const tier = await newTier(t);
    const { objectId } = await tier.put(chunks('data'));
    await rename(tier.location, `${tier.location}-unplugged`);
    const error = await rejectsWith(tier.read(objectId, 0, 4, new Uint8Array(4)), STATUS_DEVICE_NOT_READY);
    assert.match(error.message, /tier 'cold'.*not available/);
    assert.ok(isTierUnreachable(error.status));
    await rejectsWith(tier.stat(objectId), STATUS_DEVICE_NOT_READY);
    await rejectsWith(tier.put(chunks('more')), STATUS_DEVICE_NOT_READY);
    await rename(`${tier.location}-unplugged`, tier.location);
    assert.equal(await tier.verify(objectId, objectId), true, 'plugged back in, the object is there');
  });

  it('a missing object on a present tier is STATUS_OBJECT_NAME_NOT_FOUND, not "unreachable"', async (t) => {
    const tier = await newTier(t);
    const error = await rejectsWith(tier.read('a'.repeat(64), 0, 1, new Uint8Array(1)), STATUS_OBJECT_NAME_NOT_FOUND);
    assert.equal(isTierUnreachable(error.status), false);
    assert.equal(await tier.stat('b'.repeat(64)), null);
  });

  it('an object id that is not 64 hex digits never reaches a path (STATUS_INVALID_PARAMETER)', async (t) => {
    const tier = await newTier(t);
    for (const id of ['../../../etc/passwd', 'A'.repeat(64), 'a'.repeat(63), '']) {
      await rejectsWith(tier.read(id, 0, 1, new Uint8Array(1)), STATUS_INVALID_PARAMETER);
      await rejectsWith(tier.delete(id), STATUS_INVALID_PARAMETER);
    }
  });

  it('a cancelled put stores nothing and leaves no temporary file', async (t) => {
    const tier = await newTier(t);
    const controller = new AbortController();
    async function* slow(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(10);
      controller.abort();
      yield new Uint8Array(10);
    }
    await rejectsWith(tier.put(slow(), controller.signal), STATUS_CANCELLED);
    assert.deepEqual(await readdir(join(tier.location, 'tmp')), []);
    const ids: string[] = [];
    for await (const id of tier.list()) ids.push(id);
    assert.deepEqual(ids, []);
  });

  it('a folder that holds one tier cannot be initialised as another, nor opened under another name', async (t) => {
    const tier = await newTier(t);
    await rejectsWith(initializeLocalTier('warm', tier.location), STATUS_OBJECT_NAME_COLLISION);
    await initializeLocalTier('cold', tier.location);
    await rejectsWith(new LocalTier('warm', tier.location).connect(), STATUS_BAD_NETWORK_NAME);
  });
});

describe('tiers configured by name', () => {
  it('add, list and remove a tier; names and locations are checked', async (t) => {
    const dir = await tempDir(t, 'tiercfg');
    const store = openStore(join(dir, 'data'));
    t.after(() => store.close());
    const added = await addTier(store.db, 'cold', join(dir, 'cold'));
    assert.equal(added.location, join(dir, 'cold'));
    assert.deepEqual(listTiers(store.db).map((tier) => tier.name), ['cold']);
    await rejectsWith(addTier(store.db, 'cold', join(dir, 'other')), STATUS_OBJECT_NAME_COLLISION);
    await rejectsWith(addTier(store.db, '../evil', join(dir, 'x')), STATUS_INVALID_PARAMETER);
    await rejectsWith(addTier(store.db, 'rel', 'relative/path'), STATUS_INVALID_PARAMETER);
    const tier = new TierRegistry(store.db).get('cold');
    await tier.connect();
    removeTier(store.db, 'cold');
    assert.deepEqual(listTiers(store.db), []);
    assert.throws(() => new TierRegistry(store.db).get('cold'), (error: unknown) => error instanceof TierError && error.status === STATUS_BAD_NETWORK_NAME);
  });

  it('a tier used by a folder policy cannot be removed', async (t) => {
    const dir = await tempDir(t, 'tiercfg');
    const store = openStore(join(dir, 'data'));
    t.after(() => store.close());
    await addTier(store.db, 'cold', join(dir, 'cold'));
    store.db.prepare(`INSERT INTO hsm_folders (path, tier, min_age_seconds, age_basis, min_size, include_globs, exclude_globs)
      VALUES ('/some/folder', 'cold', 0, 'modification', 0, '[]', '[]')`).run();
    assert.throws(() => removeTier(store.db, 'cold'), /still in use \(folder policies: \/some\/folder/);
    assert.equal(listTiers(store.db).length, 1);
  });

  it('a tier named by an unfinished journal entry cannot be removed', async (t) => {
    const dir = await tempDir(t, 'tiercfg');
    const store = openStore(join(dir, 'data'));
    t.after(() => store.close());
    await addTier(store.db, 'cold', join(dir, 'cold'));
    await addTier(store.db, 'warm', join(dir, 'warm'));
    // The folder now uses another tier; a migration to 'cold' was left unfinished by a crash.
    const folderId = Number(store.db.prepare(`INSERT INTO hsm_folders (path, tier, min_age_seconds, age_basis, min_size, include_globs, exclude_globs)
      VALUES ('/some/folder', 'warm', 0, 'modification', 0, '[]', '[]')`).run().lastInsertRowid);
    new Journal(store.db, folderId).begin('migrate', '\\doc.bin', 'cold', 'planned', { size: 10 });
    assert.throws(() => removeTier(store.db, 'cold'), /still in use \(1 unfinished migration or recall step/);
    assert.deepEqual(listTiers(store.db).map((tier) => tier.name), ['cold', 'warm']);
  });
});
