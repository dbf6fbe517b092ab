// Tests of the default data-dir location per OS and its overrides (pure function, no files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { defaultDataDir, resolveDataDir, type HostInfo } from '../../main/store/data-dir.js';

const linux = (env: HostInfo['env'] = {}): HostInfo => ({ platform: 'linux', env, homedir: '/home/ada' });

test('Linux uses $XDG_CONFIG_HOME/Strata, else ~/.config/Strata', () => {
  assert.equal(defaultDataDir(linux()), '/home/ada/.config/Strata');
  assert.equal(defaultDataDir(linux({ XDG_CONFIG_HOME: '/cfg' })), '/cfg/Strata');
  // The XDG spec says a relative value must be ignored.
  assert.equal(defaultDataDir(linux({ XDG_CONFIG_HOME: 'rel/cfg' })), '/home/ada/.config/Strata');
});

test('macOS uses ~/Library/Application Support/Strata', () => {
  assert.equal(
    defaultDataDir({ platform: 'darwin', env: {}, homedir: '/Users/ada' }),
    '/Users/ada/Library/Application Support/Strata',
  );
});

test('Windows uses %APPDATA%\\Strata', () => {
  const env = { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' };
  assert.equal(defaultDataDir({ platform: 'win32', env, homedir: 'C:\\Users\\ada' }), 'C:\\Users\\ada\\AppData\\Roaming\\Strata');
  assert.equal(
    defaultDataDir({ platform: 'win32', env: {}, homedir: 'C:\\Users\\ada' }),
    'C:\\Users\\ada\\AppData\\Roaming\\Strata',
  );
});

test('an explicit dir wins over STRATA_DATA_DIR, which wins over the default; results are absolute', () => {
  const host = linux({ STRATA_DATA_DIR: '/srv/strata' });
  assert.equal(resolveDataDir('/explicit', host), '/explicit');
  assert.equal(resolveDataDir(undefined, host), '/srv/strata');
  assert.equal(resolveDataDir(undefined, linux()), '/home/ada/.config/Strata');
  assert.equal(resolveDataDir('relative/dir', linux()), path.resolve('relative/dir'));
});
