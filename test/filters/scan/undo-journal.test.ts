// The undo journal's file, as a run after a crash reads it back: the file it belongs to (and its latest
// name), the saved ranges up to the first record that is cut short or damaged, and a header cut while
// being created read as "nothing saved".

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UndoJournal } from '../../../filters/scan/filter/undo-journal.js';
import { tempDir } from './helpers.js';

/** A file held in memory, to restore into. */
function memoryFile(content: string) {
  let bytes = Buffer.from(content, 'latin1');
  return {
    text: () => bytes.toString('latin1'),
    async setSize(size: number) {
      bytes = size <= bytes.length ? bytes.subarray(0, size) : Buffer.concat([bytes, Buffer.alloc(size - bytes.length)]);
    },
    async write(offset: number, data: Uint8Array) {
      if (offset + data.length > bytes.length) await this.setSize(offset + data.length);
      bytes.set(data, offset);
    },
  };
}

async function journalWith(dir: string, ranges: Array<[number, string]>): Promise<string> {
  const journal = new UndoJournal(dir, 30, { volume: 'v', path: '\\a.txt' });
  for (const [offset, text] of ranges) await journal.save(offset, Buffer.from(text, 'latin1'));
  await journal.renamed('\\b.txt');
  await journal.commit();
  // As a killed process leaves it: on disk, not discarded.
  await journal.close();
  const [name] = readdirSync(dir);
  return join(dir, name!);
}

describe('an undo journal read back after a crash', () => {
  it('names its file (by its latest name), its original size and every saved range; 0600', async (t) => {
    const dir = tempDir(t);
    const path = await journalWith(dir, [[0, 'AAAA'], [10, 'BBBB']]);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const journal = (await UndoJournal.load(path))!;
    assert.deepEqual(journal.belongsTo, { volume: 'v', path: '\\b.txt' });
    const file = memoryFile('x'.repeat(40));
    await journal.restore(file);
    assert.equal(file.text(), `AAAA${'x'.repeat(6)}BBBB${'x'.repeat(16)}`);
    await journal.discard();
    assert.deepEqual(readdirSync(dir), []);
  });

  it('stops at a record cut short, and at one whose bytes fail their CRC', async (t) => {
    const cut = await journalWith(tempDir(t), [[0, 'AAAA'], [10, 'BBBB']]);
    // Records: range AAAA, range BBBB, the new name (15-byte headers). Cut: all of the name, 2 bytes of BBBB.
    truncateSync(cut, statSync(cut).size - '\\b.txt'.length - 15 - 2);
    const partial = (await UndoJournal.load(cut))!;
    const file = memoryFile('x'.repeat(30));
    await partial.restore(file);
    assert.equal(file.text(), `AAAA${'x'.repeat(26)}`, 'only the first range');
    assert.equal(partial.belongsTo.path, '\\a.txt', 'the rename record was lost with it');
    await partial.close();

    const damaged = await journalWith(tempDir(t), [[0, 'AAAA'], [10, 'BBBB']]);
    const bytes = readFileSync(damaged);
    const at = bytes.indexOf('BBBB');
    bytes[at] = 0x43;
    writeFileSync(damaged, bytes);
    const file2 = memoryFile('x'.repeat(30));
    const stopped = (await UndoJournal.load(damaged))!;
    await stopped.restore(file2);
    await stopped.close();
    assert.equal(file2.text(), `AAAA${'x'.repeat(26)}`);
  });

  it('cut inside its header holds nothing', async (t) => {
    const path = await journalWith(tempDir(t), [[0, 'AAAA']]);
    truncateSync(path, 25);
    assert.equal(await UndoJournal.load(path), null);
  });
});
