// How requests name a protected folder, over real SQLite through the in-process API client: an absolute
// path names a folder by where it is and only so (also through a symlink), even when another folder's
// name is that very string (a store written before such names were refused); new names that read as
// paths are refused; a string that is one folder's id and another's name is refused as ambiguous.

import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { inProcess, rejectsWith, tempDir } from './agent-fixtures.js';

describe('folder references', () => {
  it('an absolute path names the folder at that path, never a folder whose name is that path', async (t) => {
    const { api, core } = inProcess(t);
    const root = tempDir(t);
    const a = join(root, 'a');
    const b = join(root, 'b');
    mkdirSync(a);
    mkdirSync(b);
    symlinkSync(b, join(root, 'b-link'));
    const first = await api.addFolder({ path: a, name: 'first' });
    const bee = await api.addFolder({ path: b, name: 'bee' });
    // A name that is another folder's path, as an older Strata (or policy file) could store it.
    core.store.db.prepare('UPDATE agent_folders SET name = ? WHERE id = ?').run(b, first.id);

    assert.equal((await api.getFolder({ folder: b })).id, bee.id);
    assert.equal((await api.getFolder({ folder: join(root, 'b-link') })).id, bee.id, 'a link to the folder names it too');
    assert.equal((await api.removeFolder({ folder: b })).id, bee.id);
    assert.deepEqual((await api.listFolders({})).folders.map((f) => f.path), [a], 'the folder at the path went, not the one named so');

    await rejectsWith(api.removeFolder({ folder: b }), 'not-found', '$.folder', new RegExp(`no protected folder is at ${b}; a folder is named .*give that folder's id \\(${first.id}\\)`));
    assert.equal((await api.getFolder({ folder: first.id })).name, b, 'still reachable by id');
    assert.equal((await api.getFolder({ folder: a })).id, first.id, 'and by its path');
  });

  it('new folder names that read as paths are refused with the field named; names with a slash inside are fine', async (t) => {
    const { api } = inProcess(t);
    const root = tempDir(t);
    mkdirSync(join(root, 'x'));
    mkdirSync(join(root, 'y'));
    await rejectsWith(api.addFolder({ path: join(root, 'x'), name: join(root, 'y') }), 'invalid-request', '$.name', /reads as a path/);
    await rejectsWith(api.addFolder({ path: join(root, 'x'), name: 'C:\\Users' }), 'invalid-request', '$.name', /reads as a path/);
    const x = await api.addFolder({ path: join(root, 'x'), name: 'AC/DC' });
    await rejectsWith(api.updateFolder({ folder: x.id, name: '/x' }), 'invalid-request', '$.name', /reads as a path/);
    const doc = await api.exportPolicy({});
    doc.folders.push({ name: '/elsewhere', path: join(root, 'y'), policy: {} });
    await rejectsWith(api.importPolicy({ document: doc, mode: 'merge' }), 'invalid-request', '$.folders[1].name', /reads as a path/);
    assert.deepEqual((await api.listFolders({})).folders.map((f) => f.name), ['AC/DC']);
  });

  it('a string that is one folder\'s id and another folder\'s name is refused as ambiguous', async (t) => {
    const { api, core } = inProcess(t);
    const one = await api.addFolder({ path: tempDir(t), name: 'one' });
    const two = await api.addFolder({ path: tempDir(t), name: 'two' });
    core.store.db.prepare('UPDATE agent_folders SET name = ? WHERE id = ?').run(one.id, two.id);
    await rejectsWith(api.removeFolder({ folder: one.id }), 'conflict', '$.folder', /id of one protected folder and the name of another/);
    assert.equal((await api.listFolders({})).folders.length, 2);
  });
});
