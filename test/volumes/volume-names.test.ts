// Pure helpers of the volumes: name validation, NT wildcard matching and the OS-error mapping.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  STATUS_ACCESS_DENIED, STATUS_DIRECTORY_NOT_EMPTY, STATUS_DISK_FULL, STATUS_FILE_IS_A_DIRECTORY,
  STATUS_NOT_A_DIRECTORY, STATUS_OBJECT_NAME_COLLISION, STATUS_OBJECT_NAME_INVALID, STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_REPARSE_POINT_NOT_RESOLVED, STATUS_UNSUCCESSFUL,
} from '../../main/io/index.js';
import { VolumeError, compileWildcard, parseVolumePath, statusOfOsError, volumePathName } from '../../main/volumes/index.js';
import { expectStatus } from './volume-harness.js';

test('parseVolumePath splits valid names and marks a trailing backslash', () => {
  assert.deepEqual(parseVolumePath(''), { components: [], mustBeDirectory: false });
  assert.deepEqual(parseVolumePath('\\'), { components: [], mustBeDirectory: false });
  assert.deepEqual(parseVolumePath('\\a\\b c.txt'), { components: ['a', 'b c.txt'], mustBeDirectory: false });
  assert.deepEqual(parseVolumePath('\\dir\\'), { components: ['dir'], mustBeDirectory: true });
  assert.deepEqual(parseVolumePath('x\\y', ['base']), { components: ['base', 'x', 'y'], mustBeDirectory: false });
  assert.equal(volumePathName(['a', 'b']), '\\a\\b');
  assert.equal(volumePathName([]), '\\');
});

test('parseVolumePath refuses escapes, drive names, wildcards and empty components, naming the input', () => {
  for (const name of ['\\..', '\\a\\..\\..\\etc', 'C:\\x', '\\C:\\x', '\\a*b', '\\a\\\\b', '\\a/b', '\\.\\a', '\\end.', '\\tab\tname', 'noslash']) {
    assert.throws(
      () => parseVolumePath(name),
      (error: unknown) => error instanceof VolumeError && error.status === STATUS_OBJECT_NAME_INVALID && error.message.includes(name),
      `name ${JSON.stringify(name)}`,
    );
  }
  assert.throws(() => parseVolumePath('\\abs', ['base']), VolumeError);
});

test('compileWildcard matches NT * and ? without regard to case', () => {
  const cases: [string | null, string, boolean][] = [
    [null, 'anything', true], ['', 'x', true], ['*', 'x.y', true],
    ['*.txt', 'A.TXT', true], ['*.txt', 'a.txt.bak', false], ['?.txt', 'ab.txt', false], ['a?c', 'ABC', true],
    ['*a*b*', 'xxaYYbzz', true], ['*a*b', 'ab_a', false], ['exact', 'EXACT', true], ['exact', 'exactly', false],
    ['**x', 'x', true], ['a*', '', false],
  ];
  for (const [pattern, name, expected] of cases) assert.equal(compileWildcard(pattern)(name), expected, `${pattern} ~ ${name}`);
});

test('OS errors map to the NTSTATUS a Windows file system returns', () => {
  const cases: [string, number][] = [
    ['ENOENT', STATUS_OBJECT_NAME_NOT_FOUND], ['EEXIST', STATUS_OBJECT_NAME_COLLISION], ['ENOTDIR', STATUS_NOT_A_DIRECTORY],
    ['EISDIR', STATUS_FILE_IS_A_DIRECTORY], ['EACCES', STATUS_ACCESS_DENIED], ['EPERM', STATUS_ACCESS_DENIED],
    ['ENOSPC', STATUS_DISK_FULL], ['ENOTEMPTY', STATUS_DIRECTORY_NOT_EMPTY], ['ELOOP', STATUS_REPARSE_POINT_NOT_RESOLVED],
    ['EWHATEVER', STATUS_UNSUCCESSFUL],
  ];
  for (const [code, status] of cases) expectStatus(statusOfOsError(code), status, code);
});
