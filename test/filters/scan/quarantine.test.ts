// The quarantine store: content encrypted with age to Strata's own key (the stock `age` CLI opens it),
// metadata in SQLite, restore only with an acknowledgement and never over a file unless told, tamper
// detection, crash leftovers swept; and the filter's blocked writes landing there end to end.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FILE_OPEN_IF, STATUS_VIRUS_INFECTED } from '../../../main/io/index.js';
import { openFolderStack } from '../../../main/agent/folder-stack.js';
import { EICAR_SIGNATURE_NAME, EICAR_TEST_STRING } from '../../../filters/scan/engine/builtin-signatures.js';
import { registerScanFilter } from '../../../filters/scan/index.js';
import { QuarantineError, QuarantineStore, SWEEP_MIN_AGE_MS } from '../../../filters/scan/quarantine/quarantine-store.js';
import { quarantineSink } from '../../../filters/scan/quarantine/quarantine-sink.js';
import { bufferSource } from '../../../filters/scan/source/byte-source.js';
import { bytes, seededRandom, tempDir } from './helpers.js';

const random = seededRandom(31337);

async function openQuarantine(t: Parameters<typeof tempDir>[0]): Promise<{ store: QuarantineStore; dataDir: string }> {
  const dataDir = tempDir(t, 'strata-data-');
  const store = await QuarantineStore.open(dataDir);
  t.after(() => store.close());
  return { store, dataDir };
}

async function decryptAll(store: QuarantineStore, id: string): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  await store.read(store.get(id), async (p) => void parts.push(p.slice()));
  return Buffer.concat(parts);
}

describe('the quarantine store', () => {
  it('keeps content encrypted to its own key, which the stock age CLI opens; records origin, signature, size and SHA-256', async (t) => {
    const { store } = await openQuarantine(t);
    const content = random.bytes(300_000);
    const entry = await store.add({ originPath: '/home/u/docs/report.exe', signature: 'Win.Test.Sig', foundBy: 'scan', content: bufferSource(content) });
    assert.deepEqual(store.list(), [entry]);
    assert.equal(entry.size, content.length);
    assert.equal(entry.sha256, createHash('sha256').update(content).digest('hex'));
    const file = store.fileOf(entry);
    assert.equal(Buffer.from(readFileSync(file)).indexOf(Buffer.from(content.subarray(0, 64))), -1, 'no plaintext on disk');
    assert.equal(statSync(store.keyPath).mode & 0o777, 0o600, 'the key is owner-only');
    const age = spawnSync('age', ['-d', '-i', store.keyPath, file], { maxBuffer: 1 << 26 });
    assert.equal(age.status, 0, String(age.stderr));
    assert.ok(Buffer.from(age.stdout).equals(content), 'age -d gives the original back');
  });

  it('refuses a key file that others can read', async (t) => {
    const { store, dataDir } = await openQuarantine(t);
    chmodSync(store.keyPath, 0o644);
    await assert.rejects(QuarantineStore.open(dataDir), /readable by others \(mode 644\)/);
  });

  it('restores only with an acknowledgement, never over an existing file unless told, then forgets the entry', async (t) => {
    const { store, dataDir } = await openQuarantine(t);
    const origin = join(dataDir, 'eicar.com');
    const entry = await store.add({ originPath: origin, signature: EICAR_SIGNATURE_NAME, foundBy: 'write', content: bufferSource(bytes(EICAR_TEST_STRING)) });
    await assert.rejects(store.restore(entry.id, { acknowledgeInfected: false }), /needs an explicit acknowledgement that it is infected/);
    assert.equal(existsSync(origin), false);
    writeFileSync(origin, 'someone else');
    await assert.rejects(store.restore(entry.id.slice(0, 6), { acknowledgeInfected: true }), /exists; restore elsewhere or allow overwriting/);
    assert.equal(readFileSync(origin, 'utf8'), 'someone else');
    const elsewhere = join(dataDir, 'restored.com');
    const restored = await store.restore(entry.id.slice(0, 6), { acknowledgeInfected: true, to: elsewhere });
    assert.equal(restored.path, elsewhere);
    assert.equal(readFileSync(elsewhere, 'latin1'), EICAR_TEST_STRING);
    assert.deepEqual(store.list(), []);
    assert.equal(existsSync(store.fileOf(entry)), false);
  });

  it('restores over the origin when told to', async (t) => {
    const { store, dataDir } = await openQuarantine(t);
    const origin = join(dataDir, 'a.bin');
    const content = random.bytes(70_000);
    const entry = await store.add({ originPath: origin, signature: 'S', foundBy: 'open', content: bufferSource(content) });
    writeFileSync(origin, 'placeholder');
    await store.restore(entry.id, { acknowledgeInfected: true, overwrite: true });
    assert.ok(readFileSync(origin).equals(Buffer.from(content)));
  });

  it('delete removes the row and the encrypted file; unknown and ambiguous ids are clear errors', async (t) => {
    const { store } = await openQuarantine(t);
    const entry = await store.add({ originPath: '/x', signature: 'S', foundBy: 'scan', content: bufferSource(random.bytes(10)) });
    await assert.rejects(async () => store.get('zz'), /is not a quarantine id/);
    await assert.rejects(async () => store.get('0000'), (error: unknown) => error instanceof QuarantineError && /nothing in quarantine has the id 0000/.test(error.message));
    await store.remove(entry.id);
    assert.deepEqual(store.list(), []);
    assert.deepEqual(readdirSync(store.directory), ['identity.txt']);
  });

  it('a tampered file is refused on restore: nothing is written and the entry stays', async (t) => {
    const { store, dataDir } = await openQuarantine(t);
    const entry = await store.add({ originPath: join(dataDir, 'x.bin'), signature: 'S', foundBy: 'scan', content: bufferSource(random.bytes(100_000)) });
    const file = store.fileOf(entry);
    const damaged = readFileSync(file);
    damaged[damaged.length - 100]! ^= 0x01;
    writeFileSync(file, damaged);
    await assert.rejects(store.restore(entry.id, { acknowledgeInfected: true }), /does not decrypt/);
    assert.equal(existsSync(join(dataDir, 'x.bin')), false);
    assert.equal(readdirSync(dataDir).filter((n) => n.endsWith('.tmp')).length, 0, 'no temp file left');
    assert.equal(store.list().length, 1);
  });

  it('files left by a crash between the encrypted file and its row are swept when the store opens', async (t) => {
    const { store, dataDir } = await openQuarantine(t);
    const kept = await store.add({ originPath: '/k', signature: 'S', foundBy: 'scan', content: bufferSource(random.bytes(50)) });
    const crashed = new Date(Date.now() - SWEEP_MIN_AGE_MS - 1000);
    for (const [name, content] of [['0123456789abcdef.age', 'orphan'], ['.fedcba9876543210.age.aaaa.tmp', 'half written']]) {
      writeFileSync(join(store.directory, name), content);
      utimesSync(join(store.directory, name), crashed, crashed);
    }
    store.close();
    const reopened = await QuarantineStore.open(dataDir);
    t.after(() => reopened.close());
    assert.deepEqual(readdirSync(reopened.directory).sort(), [`${kept.id}.age`, 'identity.txt']);
    assert.equal((await decryptAll(reopened, kept.id)).length, 50);
  });

  it('a store that opens leaves young leftovers alone: they may be another process quarantining right now', async (t) => {
    const { store, dataDir } = await openQuarantine(t);
    writeFileSync(join(store.directory, '0123456789abcdef.age'), 'being written by the agent');
    writeFileSync(join(store.directory, '.fedcba9876543210.age.aaaa.tmp'), 'half written by the agent');
    const second = await QuarantineStore.open(dataDir);
    t.after(() => second.close());
    assert.deepEqual(readdirSync(second.directory).sort(), ['.fedcba9876543210.age.aaaa.tmp', '0123456789abcdef.age', 'identity.txt']);
  });
});

describe('the filter and the quarantine together', () => {
  it('a blocked write lands in quarantine with its host path, and restores to it on request', async (t) => {
    const { store } = await openQuarantine(t);
    const folder = tempDir(t, 'strata-folder-');
    const stack = await openFolderStack(folder, {
      verifier: true,
      setup: (manager) => void registerScanFilter(manager, { stagingDir: tempDir(t), sink: quarantineSink(store, (_volume, path) => join(folder, ...path.split('\\'))) }),
    });
    t.after(() => stack.close());
    const handle = (await stack.api.createFile(stack.pathOf('mail.bin'), { disposition: FILE_OPEN_IF })).handle!;
    const payload = random.bytes(200_000);
    payload.set(bytes(EICAR_TEST_STRING), 100_000);
    assert.equal((await stack.api.write(handle, payload, 0)).status, STATUS_VIRUS_INFECTED);
    assert.equal((await stack.api.close(handle)).status, STATUS_VIRUS_INFECTED);
    assert.equal(existsSync(join(folder, 'mail.bin')), false);
    const [entry] = store.list();
    assert.deepEqual([entry?.originPath, entry?.signature, entry?.foundBy, entry?.size], [join(folder, 'mail.bin'), EICAR_SIGNATURE_NAME, 'write', payload.length]);
    await store.restore(entry!.id, { acknowledgeInfected: true });
    assert.ok(readFileSync(join(folder, 'mail.bin')).equals(Buffer.from(payload)));
  });
});
