// Host names with characters NT forbids, mapped to the Private Use Area and back (main/volumes/host-names.ts):
// one to one for every host name without a mapped-range character, idempotent, and a name that stands for
// no host name is refused with STATUS_OBJECT_NAME_INVALID.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STATUS_OBJECT_NAME_INVALID } from '../../main/io/index.js';
import { hostNameOf, hostRelativeOf, volumeComponentOf } from '../../main/volumes/index.js';
import { unreachableHostName } from '../../main/volumes/host-names.js';
import { isValidComponent } from '../../main/volumes/volume-path.js';

const HOST_NAMES = ['plain.txt', 'Q3: notes?.txt', 'a<b>c"d|e*f', 'back\\slash', 'tab\there', 'dots...', 'space ', ' ', '.hidden', 'é 🔐 :'];

test('every host name maps to a valid NT name and back to itself; mapping twice changes nothing', () => {
  for (const name of HOST_NAMES) {
    const component = volumeComponentOf(name);
    assert.ok(isValidComponent(component), `${JSON.stringify(name)} → ${JSON.stringify(component)} is a valid NT name`);
    assert.equal(hostNameOf(component), name);
    assert.equal(volumeComponentOf(component), component, 'idempotent');
  }
  assert.equal(volumeComponentOf('a:b.'), 'a\uf03ab\uf02e');
  assert.equal(volumeComponentOf('a.b'), 'a.b', 'only a final dot is mapped');
  assert.equal(hostRelativeOf('\\docs\\Q3\uf03a x', '/'), 'docs/Q3: x');
});

test('a host name already holding the mapped range is unreachable; a volume name standing for no host name is refused', () => {
  assert.equal(unreachableHostName('private \uf03a'), true);
  assert.equal(unreachableHostName('Q3: notes?.txt'), false);
  assert.equal(hostNameOf('.ends\uf02e.tmp'), '.ends..tmp', 'a mapped dot inside a name built from a mapped one');
  assert.equal(volumeComponentOf('..'), '..', "'..' is left for the path check to refuse");
  assert.equal(volumeComponentOf('.'), '.');
  for (const component of ['a\uf041b', 'x\uf07f', '.\uf02e', '\uf02e']) {
    assert.throws(() => hostNameOf(component), (error: { status?: number; message: string }) => error.status === STATUS_OBJECT_NAME_INVALID && error.message.includes(component));
  }
});
