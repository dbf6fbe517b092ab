// Electron main entry: one instance per user, one window; the agent, tray and real GUI come later.
import { app, BrowserWindow } from 'electron';
import { APP_DIR_NAME, resolveDataDir } from '../main/store/data-dir.js';
import { createMainWindow } from './main-window.js';

app.setName(APP_DIR_NAME);
// Same folder as the CLI's default (and STRATA_DATA_DIR when set), so both see one store.
app.setPath('userData', resolveDataDir());

if (!app.requestSingleInstanceLock()) {
  // Another Strata is running; it gets a 'second-instance' event and shows itself.
  app.quit();
} else {
  let mainWindow: BrowserWindow | undefined;

  const showMainWindow = (): void => {
    if (!mainWindow || mainWindow.isDestroyed()) {
      mainWindow = createMainWindow();
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  };

  app.on('second-instance', showMainWindow);
  app.on('activate', showMainWindow); // macOS: dock icon clicked with no window open
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  void app.whenReady().then(showMainWindow);
}
