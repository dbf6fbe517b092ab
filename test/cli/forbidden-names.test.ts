// Files whose host names hold characters Windows forbids ('Q3: notes?.txt', a name ending in a dot) are
// within every protection's reach: `strata encrypt` (this build's CLI, a real child process) encrypts them,
// and `files ls`, `files cat` and `files put` take and show them by their host names. Before, the volume
// hid them, and encryption left them plaintext without a word.

import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cliScratch } from './cli-child.js';

const scratch = cliScratch('strata-cli-forbidden-names-');
const { strata } = scratch;

const AGE_INTRO = 'age-encryption.org/v1\n';

describe('host names with characters NT forbids', () => {
  it('are encrypted in place, listed, read and written by their host names', async () => {
    const folder = join(scratch.root, 'protected');
    const pass = join(scratch.root, 'pass.txt');
    await mkdir(join(folder, 'Drafts: 2026?'), { recursive: true });
    await writeFile(pass, 'a long passphrase\n');
    const plaintexts = { 'Q3: notes?.txt': 'quarterly secrets', 'ends with a dot.': 'dotted', 'Drafts: 2026?/a|b.txt': 'nested' };
    for (const [name, content] of Object.entries(plaintexts)) await writeFile(join(folder, name), content);
    assert.equal((await strata('vault', 'create', folder, '--passphrase-file', pass)).code, 0);

    const run = await strata('encrypt', folder, '--passphrase-file', pass);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /3 file\(s\) encrypted/);
    for (const [name, content] of Object.entries(plaintexts)) {
      assert.equal((await readFile(join(folder, name), 'latin1')).slice(0, AGE_INTRO.length), AGE_INTRO, `${name} is an age file on disk`);
      const cat = await strata('files', 'cat', folder, name, '--passphrase-file', pass);
      assert.equal(cat.code, 0, cat.stderr);
      assert.equal(cat.stdout, content);
    }

    const listed = await strata('--json', 'files', 'ls', folder, 'Drafts: 2026?');
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual((JSON.parse(listed.stdout) as Array<{ name: string; encrypted: boolean }>).map((e) => [e.name, e.encrypted]), [['a|b.txt', true]]);

    const source = join(scratch.root, 'source.txt');
    await writeFile(source, 'put through Strata');
    const put = await strata('files', 'put', folder, 'new: file?', source, '--passphrase-file', pass);
    assert.equal(put.code, 0, put.stderr);
    assert.equal((await readFile(join(folder, 'new: file?'), 'latin1')).slice(0, AGE_INTRO.length), AGE_INTRO, 'created under its host name, encrypted');
  });
});
