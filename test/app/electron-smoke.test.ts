// The real desktop app through Playwright's Electron driver: it starts, loads the GUI from app:// with
// the bridge and without Node, and keeps running when its window closes. Runs only where the Electron
// binary is installed (this machine cannot download it) and a display exists; otherwise it is skipped
// and says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron } from 'playwright-core';
import { tempDir } from './app-fixtures.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null; // the package throws when its binary was never downloaded
  }
}

const binary = electronBinary();
const display = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const skip = binary === null
  ? 'the Electron binary is not installed (npm could not download it here; ELECTRON_SKIP_BINARY_DOWNLOAD=1)'
  : !display ? 'no display to open the window on (set DISPLAY, e.g. under xvfb-run)' : false;

test('the desktop app shows the GUI from app:// with window.strata and no Node, and stays in the tray when closed', { skip }, async (t) => {
  const dataDir = join(tempDir(t), 'data');
  const app = await _electron.launch({ executablePath: binary!, args: [ROOT], env: { ...process.env, STRATA_DATA_DIR: dataDir } });
  t.after(() => app.close());
  const page = await app.firstWindow();
  await page.getByRole('heading', { name: 'Protected folders' }).waitFor();
  assert.equal(new URL(page.url()).protocol, 'app:');
  assert.deepEqual(
    await page.evaluate(() => ({ bridge: typeof (window as unknown as { strata?: { call?: unknown } }).strata?.call, require: typeof (globalThis as { require?: unknown }).require, process: typeof (globalThis as { process?: unknown }).process })),
    { bridge: 'function', require: 'undefined', process: 'undefined' },
  );
  await page.close();
  const stillRunning = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);
  assert.equal(typeof stillRunning, 'number', 'the main process answers after its window closed');
});
