// A scanned folder under a real agent process: files other programs write with plain fs.writeFile are
// taken in through the stack within 5 s — clean ones stay as written, an infected one is quarantined
// (encrypted in the data dir) and gone from the folder; removable media are scanned when they appear.

import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { EventRecord } from '../../main/api/index.js';
import { EICAR, eventually, spawnAgent, tempDir } from './agent-process.js';
import { agentWithScannedInbox } from './scanned-folder.js';

const FIVE_SECONDS = 5000;

describe('scan through the agent', () => {
  it('files written by fs.writeFile are scanned within 5 s: infected ones quarantined, clean ones kept', async (t) => {
    const { agent, dataDir, folder } = await agentWithScannedInbox(t);

    const written = Date.now();
    await mkdir(join(folder, 'downloads'));
    await writeFile(join(folder, 'downloads', 'invoice.com'), EICAR);
    await writeFile(join(folder, 'notes.txt'), 'nothing to see');
    const events = async (): Promise<EventRecord[]> => (await agent.api.queryEvents({ folder: 'Inbox', limit: 100 })).events;
    await eventually(async () => !existsSync(join(folder, 'downloads', 'invoice.com')) && (await events()).some((e) => e.action === 'quarantined'), 'the infected file to be quarantined', FIVE_SECONDS);
    await eventually(async () => (await events()).some((e) => e.action === 'ingested' && e.path === 'notes.txt'), 'the clean file to be taken in', FIVE_SECONDS);
    assert.ok(Date.now() - written < FIVE_SECONDS + 500);

    assert.equal(await readFile(join(folder, 'notes.txt'), 'utf8'), 'nothing to see');
    assert.deepEqual(readdirSync(join(folder, 'downloads')), [], 'nothing of the infected file is left, not even a temporary copy');
    const all = await events();
    const story = all.filter((e) => e.path === 'downloads/invoice.com').map((e) => `${e.action}:${e.result}`).reverse();
    assert.equal(story[0], 'threat-found:infected', story.join(', '));
    assert.ok(story.includes('quarantined:ok'), story.join(', '));
    assert.equal(story.at(-1), 'ingested:refused', 'the agent says last what became of the drop');
    const quarantined = (await events()).find((e) => e.action === 'quarantined')!;
    assert.equal(quarantined.path, 'downloads/invoice.com', 'the event names the file the user dropped');
    assert.match(quarantined.detail ?? '', /Eicar/i);
    const kept = readdirSync(join(dataDir, 'quarantine')).filter((name) => name.endsWith('.age'));
    assert.equal(kept.length, 1, 'the content is kept, encrypted, in the quarantine');
    assert.doesNotMatch(await readFile(join(dataDir, 'quarantine', kept[0]!), 'latin1'), /EICAR-STANDARD/);
  });

  it('a new folder under a media root is mounted as a removable volume and scanned', async (t) => {
    const root = tempDir(t);
    const mediaRoot = join(root, 'media');
    const agent = await spawnAgent(t, join(root, 'data'), { mediaRoot });
    const stick = join(mediaRoot, 'USBSTICK');
    await mkdir(join(stick, 'docs'), { recursive: true });
    await writeFile(join(stick, 'docs', 'readme.txt'), 'hello');
    await writeFile(join(stick, 'setup.com'), EICAR);
    const scanned = await eventually(async () => (await agent.api.queryEvents({ actions: ['medium-scanned'] })).events[0], 'the medium scan', 10_000);
    assert.equal(scanned.result, 'infected');
    assert.match(scanned.detail ?? '', /2 file\(s\) scanned, 1 infected/);
    assert.match(scanned.detail ?? '', /setup\.com/);
    const mounted = (await agent.api.queryEvents({ actions: ['medium-mounted'] })).events;
    assert.equal(mounted[0]?.path, stick);
    assert.ok(agent.messages.some((m) => m.type === 'progress' && m.job.kind === 'media-scan' && m.job.finished), 'progress was streamed');
    const { media } = await agent.api.status({});
    assert.deepEqual(media.map((m) => [m.path, m.state]), [[stick, 'scanned']]);
  });
});
