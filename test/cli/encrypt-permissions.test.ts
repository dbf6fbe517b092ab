// `strata encrypt` on a folder with parts its user may not touch: an unreadable file, an unlistable
// subfolder and a read-only subfolder are each reported with a clear reason, everything else is still
// encrypted, and the exit status says some failed. Run as a real child process of this build; when the
// tests run as root (whom permissions do not stop) the CLI runs without the capabilities that override
// file permissions (setpriv drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH), so the mode bits apply to it
// as to any user, while the build, wherever it lies, stays readable to it.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from './cli-child.js';

const isRoot = process.getuid?.() === 0;
const canDrop = !isRoot || spawnSync('setpriv', ['--version']).status === 0;

let root: string;

/** The CLI of this build, as this user; as root, without the capabilities that override file permissions. */
const strata = (...args: string[]) => runCli(join(root, 'data'), args, { wrapper: isRoot ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search'] : [] });

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'strata-cli-eip-perm-'));
});
after(() => rm(root, { recursive: true, force: true }));

describe('strata encrypt on parts of a folder it may not touch', { skip: canDrop ? false : 'running as root without setpriv' }, () => {
  it('reports the unreadable file, the unlistable and the read-only folder; encrypts the rest; exits 1', async () => {
    const folder = join(root, 'protected');
    const pass = join(root, 'pass.txt');
    mkdirSync(join(folder, 'closed'), { recursive: true });
    mkdirSync(join(folder, 'frozen'));
    mkdirSync(join(folder, 'open'));
    writeFileSync(pass, 'a long passphrase\n');
    for (const [name, text] of [['ok.txt', 'ok'], ['noread.txt', 'secret'], ['closed/inside.txt', 'in'], ['frozen/inside.txt', 'ro'], ['open/fine.txt', 'fine']]) {
      writeFileSync(join(folder, name!), text!);
    }
    const created = await strata('vault', 'create', folder, '--passphrase-file', pass);
    assert.equal(created.code, 0, created.stderr);
    chmodSync(join(folder, 'noread.txt'), 0o000);
    chmodSync(join(folder, 'closed'), 0o000);
    chmodSync(join(folder, 'frozen'), 0o555);

    const run = await strata('--json', 'encrypt', folder, '--passphrase-file', pass);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as { encrypted: string[]; failed: { path: string; status: string; reason: string }[] };
    assert.deepEqual(report.encrypted.sort(), ['\\ok.txt', '\\open\\fine.txt']);
    assert.deepEqual(report.failed.map((failure) => [failure.path, failure.status]).sort(), [
      ['\\closed', 'STATUS_ACCESS_DENIED'], ['\\frozen\\inside.txt', 'STATUS_ACCESS_DENIED'], ['\\noread.txt', 'STATUS_ACCESS_DENIED'],
    ]);
    assert.match(run.stderr, /closed: not encrypted: .*cannot be listed/);
    assert.match(run.stderr, /noread\.txt: not encrypted: /);
    assert.equal(readFileSync(join(folder, 'ok.txt')).subarray(0, 21).toString(), 'age-encryption.org/v1');
    chmodSync(join(folder, 'frozen'), 0o755);
    assert.equal(readFileSync(join(folder, 'frozen', 'inside.txt')).toString(), 'ro', 'left as it was');
  });
});
