// Creates the main window, locked down: no Node in the page, isolated and sandboxed, no navigation away.
import { BrowserWindow, shell } from 'electron';
import { placeholderPageUrl } from './placeholder-page.js';

export function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 960,
    height: 640,
    title: 'Strata',
    show: false,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });

  // New windows open in the user's browser (http/https only); the app window never navigates.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event) => event.preventDefault());

  win.once('ready-to-show', () => win.show());
  void win.loadURL(placeholderPageUrl);
  return win;
}
