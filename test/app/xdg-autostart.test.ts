// Start at login on Linux: the XDG autostart entry under $XDG_CONFIG_HOME (or ~/.config), its Exec line
// quoted per the Desktop Entry spec, written atomically, removed when switched off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { autostartEntry, autostartPath, isAutostartEnabled, quoteExecArgument, setAutostart } from '../../app/xdg-autostart.js';
import { tempDir } from './app-fixtures.js';

test('the entry goes to $XDG_CONFIG_HOME/autostart, or ~/.config/autostart when it is unset or relative', () => {
  assert.equal(autostartPath({ XDG_CONFIG_HOME: '/x/conf', HOME: '/home/u' }), '/x/conf/autostart/strata.desktop');
  assert.equal(autostartPath({ HOME: '/home/u' }), '/home/u/.config/autostart/strata.desktop');
  assert.equal(autostartPath({ XDG_CONFIG_HOME: 'relative', HOME: '/home/u' }), '/home/u/.config/autostart/strata.desktop');
});

test('Exec arguments are quoted as the Desktop Entry spec asks, and % is doubled', () => {
  assert.equal(quoteExecArgument('/opt/Strata/strata'), '/opt/Strata/strata');
  assert.equal(quoteExecArgument('/home/me/My Apps/Strata.AppImage'), '"/home/me/My Apps/Strata.AppImage"');
  assert.equal(quoteExecArgument('a"b$c`d\\e'), '"a\\"b\\$c\\`d\\\\e"');
  const entry = autostartEntry(['/home/me/100% apps/strata', '--hidden']);
  assert.match(entry, /^Exec="\/home\/me\/100%% apps\/strata" --hidden$/m);
  assert.match(entry, /^\[Desktop Entry\]$/m);
  assert.match(entry, /^Type=Application$/m);
});

test('a command with a line break or NUL is refused before anything is written', (t) => {
  const path = join(tempDir(t), 'autostart', 'strata.desktop');
  assert.throws(() => setAutostart(true, ['/opt/strata\nX-Evil=1'], path), /line break or NUL/);
  assert.throws(() => setAutostart(true, ['/opt/strata\0'], path), /line break or NUL/);
  assert.throws(() => setAutostart(true, [], path), /empty/);
  assert.equal(isAutostartEnabled(path), false);
  assert.throws(() => readdirSync(dirname(path)), /ENOENT/, 'not even the folder is created');
});

test('switching on writes the entry atomically (no temp file left), switching off removes it', (t) => {
  const path = join(tempDir(t), 'config', 'autostart', 'strata.desktop');
  assert.equal(isAutostartEnabled(path), false);
  setAutostart(true, ['/opt/Strata/strata', '--hidden'], path);
  assert.equal(isAutostartEnabled(path), true);
  assert.match(readFileSync(path, 'utf8'), /^Exec=\/opt\/Strata\/strata --hidden$/m);
  assert.deepEqual(readdirSync(dirname(path)), ['strata.desktop']);
  assert.equal(statSync(path).mode & 0o777, 0o644);
  setAutostart(true, ['/opt/Strata/strata', '--hidden'], path); // again: still one entry
  assert.deepEqual(readdirSync(dirname(path)), ['strata.desktop']);
  setAutostart(false, [], path);
  assert.equal(isAutostartEnabled(path), false);
  assert.deepEqual(readdirSync(dirname(path)), []);
  setAutostart(false, [], path); // off when already off is fine
});

test('an entry the user disabled in their desktop settings counts as off', (t) => {
  const path = join(tempDir(t), 'autostart', 'strata.desktop');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${autostartEntry(['/opt/strata'])}Hidden=true\n`);
  assert.equal(isAutostartEnabled(path), false);
  writeFileSync(path, autostartEntry(['/opt/strata']).replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'));
  assert.equal(isAutostartEnabled(path), false);
});
