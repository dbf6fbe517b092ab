// `strata encrypt` on a folder whose files are partly in cold storage (HSM stubs). The CLI's stack has no
// HSM filter to recall a stub's content, so a stub is left exactly as it is and reported: encrypting its
// raw bytes turned it into an ordinary file cut off from its cold copy, the only copy of its content.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadSodium } from '../../main/age/index.js';
import { createVault } from '../../filters/crypt/vault/vault.js';
import { hostWrite, makeRig, migrateAll, readThrough } from '../filters/hsm/hsm-rig.js';

const STRATA = fileURLToPath(new URL('../../../bin/strata.js', import.meta.url));

function strata(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [STRATA, '--data-dir', dataDir, ...args], { encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

describe('strata encrypt and files in cold storage', () => {
  it('leaves HSM stubs byte for byte, reports them, encrypts the rest, and the stubs still recall their content', async (t) => {
    const cold = 'cold content '.repeat(5000);
    const rig = await makeRig(t, { 'cold.txt': cold, 'sub/also-cold.bin': new Uint8Array(70_000).fill(3) });
    await migrateAll(rig);
    await rig.session.close();
    const stubs = { 'cold.txt': await readFile(join(rig.folder, 'cold.txt')), 'sub/also-cold.bin': await readFile(join(rig.folder, 'sub', 'also-cold.bin')) };
    assert.ok(stubs['cold.txt'].length < 1024, 'the migration left a stub');
    await hostWrite(rig.folder, 'warm.txt', 'warm content');
    const passFile = join(rig.root, 'pass.txt');
    await writeFile(passFile, 'cold passphrase\n');
    await createVault(await loadSodium(), rig.folder, 'cold passphrase');

    const result = await strata(join(rig.root, 'cli-data'), '--json', 'encrypt', rig.folder, '--passphrase-file', passFile);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { encrypted: string[]; cold: string[] };
    assert.deepEqual(report.encrypted, ['\\warm.txt']);
    assert.deepEqual([...report.cold].sort(), ['\\cold.txt', '\\sub\\also-cold.bin']);
    assert.match(result.stderr, /cold\.txt: left as it is: its content is in cold storage/);
    assert.deepEqual(await readFile(join(rig.folder, 'cold.txt')), stubs['cold.txt']);
    assert.deepEqual(await readFile(join(rig.folder, 'sub', 'also-cold.bin')), stubs['sub/also-cold.bin']);
    assert.equal((await readFile(join(rig.folder, 'warm.txt'))).subarray(0, 21).toString(), 'age-encryption.org/v1');

    await rig.reopen();
    assert.equal((await readThrough(rig, 'cold.txt')).toString(), cold);
  });
});
