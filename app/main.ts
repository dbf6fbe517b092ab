// Electron main entry: one instance per user (a second launch shows the first one's window), the
// app:// scheme registered before ready, then the desktop app in the tray. Closing the window keeps
// protection running; Quit in the tray stops it.

import { app } from 'electron';
import { APP_DIR_NAME, resolveDataDir } from '../main/store/data-dir.js';
import { registerAppScheme } from './app-protocol.js';
import { DesktopApp } from './desktop-app.js';
import { HIDDEN_FLAG } from './login-item.js';

app.setName(APP_DIR_NAME);
// Same folder as the CLI's default (and STRATA_DATA_DIR when set), so both see one store and one agent.
const dataDir = resolveDataDir();
app.setPath('userData', dataDir);
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const desktop = new DesktopApp(dataDir);
  let stopped = false;
  app.on('second-instance', () => desktop.showWindow());
  app.on('activate', () => desktop.showWindow()); // macOS: dock icon clicked with no window open
  app.on('window-all-closed', () => {
    // Stay in the tray: the agent keeps protecting folders with no window open.
  });
  app.on('before-quit', () => desktop.markQuitting());
  app.on('will-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    void desktop.shutdown().finally(() => {
      stopped = true;
      app.quit();
    });
  });
  void app.whenReady().then(() => desktop.start(!process.argv.includes(HIDDEN_FLAG)));
}
