// The CLI's unlock sessions hold a vault key on disk, so an ended one must not stay there: every session
// command (unlock, a command reading a session, lock) removes every ended session of every folder —
// expired, or written before the last boot — overwriting its key before unlinking it, and keeps the live ones.

import assert from 'node:assert/strict';
import { linkSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { endSession, loadSession, saveSession } from '../../main/cli/commands/crypt/session.js';
import { currentBootId } from '../../main/store/process-identity.js';
import { KEY, sessionFileOf, sessionFiles, writeSession } from './crypt-session-fixtures.js';

async function dataDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'strata-session-expiry-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const name = (dataDir: string, folder: string) => sessionFileOf(dataDir, folder).split('/').pop()!;

describe('crypt unlock sessions: ended sessions of every folder are removed', () => {
  const commands = {
    unlock: (dir: string) => saveSession(dir, '/folder', KEY, 5),
    'a command reading a session': (dir: string) => loadSession(dir, '/folder'),
    lock: (dir: string) => endSession(dir, '/folder'),
  };
  for (const [command, run] of Object.entries(commands)) {
    it(`${command} removes another folder's expired session and keeps another's live one`, async (t) => {
      const dir = await dataDir(t);
      writeSession(dir, '/expired', { expiresInMinutes: -1 });
      writeSession(dir, '/live', { expiresInMinutes: 10 });
      await run(dir);
      assert.ok(!sessionFiles(dir).includes(name(dir, '/expired')), 'the expired session is gone');
      assert.ok(sessionFiles(dir).includes(name(dir, '/live')), 'the live one is kept');
      assert.equal(await loadSession(dir, '/live'), KEY);
    });
  }

  it("an ended session's key is overwritten before it is unlinked", async (t) => {
    const dir = await dataDir(t);
    const path = writeSession(dir, '/expired', { expiresInMinutes: -1 });
    // A second name for the same file outside crypt-sessions/ shows what is left of its content.
    const witness = join(dir, 'witness');
    linkSync(path, witness);
    assert.equal(await loadSession(dir, '/folder'), null);
    const left = readFileSync(witness);
    assert.ok(left.length > 0 && left.every((byte) => byte === 0), 'the key file was zeroed');
  });

  it('a session written before the last boot, or without a boot id, is over: removed, and the folder needs its passphrase', { skip: currentBootId() === undefined ? 'this system tells no boot id' : false }, async (t) => {
    const dir = await dataDir(t);
    writeSession(dir, '/folder', { expiresInMinutes: 10, bootId: '00000000-0000-0000-0000-000000000000' });
    writeSession(dir, '/older-strata', { expiresInMinutes: 10, bootId: null });
    assert.equal(await loadSession(dir, '/folder'), null);
    assert.deepEqual(sessionFiles(dir), []);
  });

  it('a session saved now records this boot and serves later commands', async (t) => {
    const dir = await dataDir(t);
    await saveSession(dir, '/folder', KEY, 5);
    assert.equal((JSON.parse(readFileSync(sessionFileOf(dir, '/folder'), 'utf8')) as { bootId?: string }).bootId, currentBootId());
    assert.equal(await loadSession(dir, '/folder'), KEY);
    assert.equal(await endSession(dir, '/folder'), true);
    assert.equal(await loadSession(dir, '/folder'), null);
  });
});
