// Who may change a local tier's folders: a tier folder another user owns, or that others can write to,
// is refused (STATUS_ACCESS_DENIED, naming the folder and what is wrong) when the tier is added, at
// every connection and at every open of an object, so a tier whose folders were opened up after it was
// added is not used; the tier's own folders are created 0700 whatever the umask; a link to a folder of
// this user's (a mount point) is a tier like any other.

import assert from 'node:assert/strict';
import { chmodSync, chownSync, lstatSync, mkdirSync, readdirSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { STATUS_ACCESS_DENIED, statusName } from '../../../main/io/index.js';
import { LocalTier, TIER_MARKER, initializeLocalTier } from '../../../filters/hsm/tier/local-tier.js';
import { TierError } from '../../../filters/hsm/tier/tier.js';
import { tempDir } from './temp-dir.js';

const isRoot = process.getuid?.() === 0;

async function* chunks(text: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(text);
}

async function deniedNaming(promise: Promise<unknown>, message: RegExp): Promise<void> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TierError, `a TierError, got ${String(error)}`);
    assert.equal(statusName(error.status), statusName(STATUS_ACCESS_DENIED), error.message);
    assert.match(error.message, message);
    return;
  }
  assert.fail(`expected STATUS_ACCESS_DENIED (${message})`);
}

const escaped = (path: string): string => path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('tier folders that others can change', () => {
  it('a tier folder pre-created by someone else, with a matching marker, is refused when added and at connect; nothing is stored in it', async (t) => {
    const root = join(await tempDir(t, 'tier-owner'), 'cold');
    mkdirSync(join(root, 'objects'), { recursive: true });
    mkdirSync(join(root, 'tmp'));
    writeFileSync(join(root, TIER_MARKER), `${JSON.stringify({ format: 'strata-hsm-tier', version: 1, name: 'cold' })}\n`);
    // What another user would leave there: theirs (only root can make that here), else open to all.
    if (isRoot) for (const folder of [root, join(root, 'objects'), join(root, 'tmp')]) chownSync(folder, 65534, 65534);
    else chmodSync(root, 0o777);
    const why = isRoot ? /is owned by uid 65534, not by this user/ : /can be written by its group and all other users \(mode 777\)/;
    const naming = new RegExp(`tier 'cold': the tier folder ${escaped(root)} ${why.source}.*delete or replace the tier's cold copies`);

    await deniedNaming(initializeLocalTier('cold', root), naming);
    const tier = new LocalTier('cold', root);
    await deniedNaming(tier.connect(), naming);
    await deniedNaming(tier.put(chunks('a released file')), naming);
    assert.deepEqual(readdirSync(join(root, 'objects')), [], 'no object was put there');
    assert.deepEqual(readdirSync(join(root, 'tmp')), [], 'nor a partial one');
  });

  it('folders opened to others after the tier was added are refused at connect and at every read; closed again, the tier is used again', async (t) => {
    const root = join(await tempDir(t, 'tier-later'), 'cold');
    await initializeLocalTier('cold', root);
    const tier = new LocalTier('cold', root);
    const { objectId } = await tier.put(chunks('the only copy'));
    const into = new Uint8Array(13);
    const prefix = join(root, 'objects', objectId.slice(0, 2));
    const cases: Array<{ folder: string; mode: number; why: RegExp }> = [
      { folder: join(root, 'objects'), mode: 0o775, why: /can be written by its group \(mode 775\)/ },
      { folder: root, mode: 0o757, why: /can be written by all other users \(mode 757\)/ },
      { folder: prefix, mode: 0o777, why: /can be written by its group and all other users \(mode 777\)/ },
    ];
    for (const { folder, mode, why } of cases) {
      chmodSync(folder, mode);
      const naming = new RegExp(`the tier folder ${escaped(folder)} ${why.source}`);
      if (folder !== prefix) await deniedNaming(tier.connect(), naming);
      await deniedNaming(tier.read(objectId, 0, 13, into), naming);
      await deniedNaming(tier.sha256(objectId), naming);
      chmodSync(folder, 0o700);
      assert.equal(await tier.read(objectId, 0, 13, into), 13, `usable again once ${folder} is closed`);
    }
    assert.equal(new TextDecoder().decode(into), 'the only copy');
  });

  it('tmp/ replaced by a link is refused at connect, naming it', async (t) => {
    const base = await tempDir(t, 'tier-link');
    const root = join(base, 'cold');
    await initializeLocalTier('cold', root);
    mkdirSync(join(base, 'elsewhere'), { mode: 0o700 });
    renameSync(join(root, 'tmp'), join(base, 'old-tmp'));
    symlinkSync(join(base, 'elsewhere'), join(root, 'tmp'));
    await deniedNaming(new LocalTier('cold', root).connect(), new RegExp(`the tier folder ${escaped(join(root, 'tmp'))} is a symbolic link`));
  });

  it('the tier creates its folders 0700 whatever the umask (002 would make them group-writable)', async (t) => {
    const root = join(await tempDir(t, 'tier-umask'), 'disk', 'cold');
    const saved = process.umask(0o002);
    try {
      await initializeLocalTier('cold', root);
      const { objectId } = await new LocalTier('cold', root).put(chunks('umask'));
      for (const folder of [join(root, '..'), root, join(root, 'objects'), join(root, 'tmp'), join(root, 'objects', objectId.slice(0, 2))]) {
        assert.equal((statSync(folder).mode & 0o777).toString(8), '700', folder);
      }
    } finally {
      process.umask(saved);
    }
  });

  it('a tier reached through a link (a mount point) to a folder of this user\'s is used like any other', async (t) => {
    const base = await tempDir(t, 'tier-mount');
    const disk = join(base, 'disk');
    await initializeLocalTier('cold', disk);
    symlinkSync(disk, join(base, 'mnt'));
    assert.ok(lstatSync(join(base, 'mnt')).isSymbolicLink());
    const tier = new LocalTier('cold', join(base, 'mnt'));
    await tier.connect();
    const { objectId } = await tier.put(chunks('through the link'));
    assert.equal(await tier.verify(objectId, objectId), true);
  });
});
