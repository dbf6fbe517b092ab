// Ingest: a file another program writes into a protected folder goes through the filter stack within
// seconds, atomically (a temp name, then a rename over the original); an edit made meanwhile is not
// lost; Strata's own writes are not ingested again; a storm of files is absorbed by the bounded queue
// with progress and back-pressure.

import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FILE_OPEN_IF, IRP_MJ_WRITE } from '../../main/io/index.js';
import { FLT_PREOP_SUCCESS_NO_CALLBACK } from '../../main/fltmgr/index.js';
import { ingestFile } from '../../main/agent/ingest/ingest-file.js';
import { eventually, ingestRig } from './ingest-rig.js';

describe('ingest', () => {
  it('a file written by another program goes through the stack and replaces the original atomically', async (t) => {
    const rig = await ingestRig(t);
    await mkdir(join(rig.folder, 'docs'));
    await writeFile(join(rig.folder, 'docs', 'report.txt'), 'quarterly numbers');
    const before = statSync(join(rig.folder, 'docs', 'report.txt')).ino;
    const writesBefore = rig.passthrough.counters.pre;
    await eventually(() => rig.outcomes.some((o) => o.outcome.kind === 'ingested'), 'the ingest');
    assert.deepEqual(rig.outcomes.map((o) => [o.path, o.outcome.kind]), [['docs/report.txt', 'ingested']]);
    assert.ok(rig.passthrough.counters.pre > writesBefore, 'the bytes went through the filter stack');
    assert.equal(await readFile(join(rig.folder, 'docs', 'report.txt'), 'utf8'), 'quarterly numbers');
    assert.notEqual(statSync(join(rig.folder, 'docs', 'report.txt')).ino, before, 'a new file was renamed over the original');
    await eventually(() => readdirSync(join(rig.folder, 'docs')).length === 1, 'the hold on the original to be released');
    assert.deepEqual(readdirSync(join(rig.folder, 'docs')), ['report.txt'], 'no temporary file is left');
    assert.deepEqual(rig.restored, []);
    await eventually(() => rig.ledger.isOwn('docs/report.txt', { size: 17, mtimeMs: statSync(join(rig.folder, 'docs', 'report.txt')).mtimeMs, ino: statSync(join(rig.folder, 'docs', 'report.txt')).ino }), 'the ledger to record the stack\'s write');
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(rig.outcomes.filter((o) => o.outcome.kind === 'ingested').length, 1, "the rename (Strata's own write) is not ingested again");
  });

  it("Strata's own writes through the stack are not ingested", async (t) => {
    const rig = await ingestRig(t);
    const created = await rig.stack.api.createFile(rig.stack.pathOf('mine.txt'), { disposition: FILE_OPEN_IF });
    await rig.stack.api.write(created.handle!, new TextEncoder().encode('written through Strata'), 0);
    await rig.stack.api.close(created.handle!);
    await writeFile(join(rig.folder, 'theirs.txt'), 'written by another program');
    await eventually(() => rig.outcomes.some((o) => o.path === 'theirs.txt'), 'the other file');
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.deepEqual(rig.outcomes.filter((o) => o.outcome.kind === 'ingested').map((o) => o.path), ['theirs.txt']);
    assert.ok(!rig.outcomes.some((o) => o.path === 'mine.txt' && o.outcome.kind === 'ingested'));
  });

  it('an edit made while the file is being ingested is not lost: the copy is redone', async (t) => {
    let edits = 0;
    const rig = await ingestRig(t, {
      quietMs: 60_000, // this test drives ingestFile itself
      extraSetup: (manager, folder) => {
        // Another program appends to the original while ingest is writing the copy through the stack.
        manager.registerFilter({
          name: 'ConcurrentEditor',
          altitude: '100000',
          operations: {
            [IRP_MJ_WRITE]: {
              pre: (data) => {
                if (edits === 0 && data.fileObject?.fileName.includes('.strata-ingest-')) {
                  edits++;
                  appendFileSync(join(folder, 'notes.txt'), ' + an edit made during ingest');
                }
                return FLT_PREOP_SUCCESS_NO_CALLBACK;
              },
            },
          },
        }).startFiltering();
      },
    });
    await writeFile(join(rig.folder, 'notes.txt'), 'first draft');
    const outcome = await ingestFile({ root: rig.folder, stack: rig.stack, ledger: rig.ledger, protections: () => [] }, 'notes.txt', new AbortController().signal);
    assert.equal(edits, 1);
    assert.equal(outcome.kind, 'ingested');
    assert.deepEqual(outcome.kind === 'ingested' ? [outcome.attempts, outcome.size] : [], [2, 'first draft + an edit made during ingest'.length]);
    assert.equal(await readFile(join(rig.folder, 'notes.txt'), 'utf8'), 'first draft + an edit made during ingest');
    assert.deepEqual(readdirSync(rig.folder).filter((name) => name.includes('.strata-ingest-')), [], 'the abandoned copy was removed');
  });

  it('a program that still has the file open and writes after ingest replaced it: that edit is kept', async (t) => {
    const rig = await ingestRig(t, { holdGraceMs: 400 });
    const writer = await open(join(rig.folder, 'app.log'), 'a');
    t.after(() => writer.close().catch(() => undefined));
    await writer.write('started\n');
    await eventually(() => rig.outcomes.some((o) => o.path === 'app.log' && o.outcome.kind === 'ingested'), 'the first ingest');
    await writer.write('still running\n'); // into the file ingest replaced: the hold keeps it
    await writer.close();
    await eventually(() => rig.restored.includes('app.log'), 'the edited original to be put back');
    await eventually(() => rig.outcomes.filter((o) => o.path === 'app.log' && o.outcome.kind === 'ingested').length === 2, 'the second ingest');
    assert.equal(await readFile(join(rig.folder, 'app.log'), 'utf8'), 'started\nstill running\n');
    await eventually(() => readdirSync(rig.folder).length === 1, 'the last hold to be released');
  });

  it('a file whose name takes all 255 bytes a name may have is taken in, its copy and hold named within that limit', async (t) => {
    const rig = await ingestRig(t, { quietMs: 60_000 }); // this test drives ingestFile itself
    const name = `${'資料'.repeat(42)}xyz`; // 84 three-byte characters and three bytes
    assert.equal(Buffer.byteLength(name), 255);
    await writeFile(join(rig.folder, name), 'a long-named file');
    const outcome = await ingestFile({ root: rig.folder, stack: rig.stack, ledger: rig.ledger, protections: () => [] }, name, new AbortController().signal);
    assert.equal(outcome.kind, 'ingested', JSON.stringify(outcome));
    assert.equal(await readFile(join(rig.folder, name), 'utf8'), 'a long-named file');
    if (outcome.kind === 'ingested') rig.holds.later(outcome.hold, join(rig.folder, name), () => undefined);
    await rig.holds.flush();
    assert.deepEqual(readdirSync(rig.folder), [name], 'the hold was released');
  });

  it('names of Strata\'s own files are never ingested', async (t) => {
    const rig = await ingestRig(t, { quietMs: 60_000 });
    for (const name of ['.strata-vault/identity.age', 'a/.x.strata-ingest-0123456789ab', 'a/.x.strata-orig-0123456789ab', '.strata-tmp-1']) {
      const outcome = await ingestFile({ root: rig.folder, stack: rig.stack, ledger: rig.ledger, protections: () => [] }, name, new AbortController().signal);
      assert.deepEqual(outcome, { kind: 'unchanged', reason: "Strata's own file" }, name);
    }
  });
});
