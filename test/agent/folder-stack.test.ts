// A protected folder as a live filter stack: files written through it land in the real folder,
// folder-relative paths map to NT paths, hostile paths are refused, and closing tears the stack down.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FILE_OPEN_IF, NtStatusError, STATUS_OBJECT_NAME_INVALID, STATUS_SUCCESS } from '../../main/io/index.js';
import { registerPassthrough } from '../../filters/passthrough/index.js';
import { openFolderStack, toVolumeRelative } from '../../main/agent/folder-stack.js';

describe('openFolderStack', () => {
  it('writes through the full filter stack land in the real folder', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'strata-stack-'));
    try {
      let passthrough: ReturnType<typeof registerPassthrough> | undefined;
      const stack = await openFolderStack(folder, { verifier: true, setup: (manager) => void (passthrough = registerPassthrough(manager)) });
      const opened = await stack.api.createFile(stack.pathOf('notes/../a.txt'), { disposition: FILE_OPEN_IF });
      assert.equal(opened.status, STATUS_OBJECT_NAME_INVALID, '".." never leaves the folder');
      const created = await stack.api.createFile(stack.pathOf('a.txt'), { disposition: FILE_OPEN_IF });
      assert.equal(created.status, STATUS_SUCCESS);
      await stack.api.write(created.handle!, new TextEncoder().encode('through the stack'), 0);
      await stack.api.close(created.handle!);
      assert.equal(await readFile(join(folder, 'a.txt'), 'utf8'), 'through the stack');
      assert.ok(passthrough!.counters.pre > 0, 'the minifilter registered in setup was on the path');
      await stack.close();
      assert.equal(stack.storage.deleted, true);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('maps folder-relative paths to volume-relative NT names', () => {
    assert.equal(toVolumeRelative('docs/a.txt'), '\\docs\\a.txt');
    assert.equal(toVolumeRelative('docs\\sub\\\\b'), '\\docs\\sub\\b');
    assert.equal(toVolumeRelative('./x'), '\\x');
    assert.equal(toVolumeRelative(''), '');
    assert.throws(() => toVolumeRelative('a\0b'), (error: unknown) => error instanceof NtStatusError && error.status === STATUS_OBJECT_NAME_INVALID);
  });
});
