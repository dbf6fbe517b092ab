// The main window, locked down: no Node in the page, isolated and sandboxed, the GUI from app:// only,
// no navigation away, no new windows (http(s) links open in the user's browser), no webviews. Closing
// it hides it: protection keeps running in the tray.

import { BrowserWindow, shell } from 'electron';
import { APP_ORIGIN, APP_START_URL } from './trusted-sender.js';

export interface MainWindowOptions {
  preloadPath: string;
  iconPath: string;
  /** True once the app is quitting: then closing really closes. */
  isQuitting: () => boolean;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1120,
    height: 780,
    minWidth: 640,
    minHeight: 480,
    title: 'Strata',
    icon: options.iconPath,
    show: false,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  const contents = win.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    if (new URL(event.url).origin !== APP_ORIGIN) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame || new URL(event.url).origin !== APP_ORIGIN) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  win.on('close', (event) => {
    if (options.isQuitting()) return;
    event.preventDefault();
    win.hide();
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_START_URL);
  return win;
}
