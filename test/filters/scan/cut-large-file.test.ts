// Cutting an existing file makes the scan filter save the bytes beyond the new end in its undo journal
// first. That tail can be longer than one read may ask the I/O manager to allocate
// (MAXIMUM_ALLOCATED_BUFFER): the filter reads it in parts, the cut goes ahead, and a signature written
// afterwards still gets the whole original back.

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FileInformationClass, MAXIMUM_ALLOCATED_BUFFER, STATUS_SUCCESS, STATUS_VIRUS_INFECTED, statusName } from '../../../main/io/index.js';
import { EICAR_TEST_STRING } from '../../../filters/scan/engine/builtin-signatures.js';
import { bytes } from './helpers.js';
import { mustOpen, openScanRig } from './scan-rig.js';

const digest = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

describe('an existing file longer than one read\'s maximum', () => {
  it('cut to nothing, then rewritten with EICAR, gets its original bytes back', async (t) => {
    const rig = await openScanRig(t);
    const original = randomBytes(MAXIMUM_ALLOCATED_BUFFER + 64 * 1024 + 10);
    writeFileSync(join(rig.folder, 'large.bin'), original);
    const handle = await mustOpen(rig, 'large.bin');
    const cut = await rig.stack.api.setInformation(handle, FileInformationClass.FileEndOfFileInformation, { endOfFile: 0 });
    assert.equal(statusName(cut.status), statusName(STATUS_SUCCESS), 'the tail is saved and the cut goes ahead');
    assert.equal((await rig.stack.api.write(handle, bytes(EICAR_TEST_STRING), 0)).status, STATUS_VIRUS_INFECTED);
    assert.equal((await rig.stack.api.close(handle)).status, STATUS_VIRUS_INFECTED);
    assert.equal(digest(readFileSync(join(rig.folder, 'large.bin'))), digest(original), 'byte for byte the original');
  });
});
