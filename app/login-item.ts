// Start at login: Electron's login items on macOS and Windows, an XDG autostart entry on Linux. The app
// then starts hidden, in the tray.

import { app } from 'electron';
import { isAutostartEnabled, setAutostart } from './xdg-autostart.js';

export const HIDDEN_FLAG = '--hidden';

/** What the session should run: the AppImage itself when packaged as one, else this Electron with the app. */
function launchCommand(): string[] {
  if (process.env.APPIMAGE) return [process.env.APPIMAGE, HIDDEN_FLAG];
  return app.isPackaged ? [process.execPath, HIDDEN_FLAG] : [process.execPath, app.getAppPath(), HIDDEN_FLAG];
}

export async function getStartAtLogin(): Promise<boolean> {
  if (process.platform === 'linux') return isAutostartEnabled();
  return app.getLoginItemSettings({ args: [HIDDEN_FLAG] }).openAtLogin;
}

export async function setStartAtLogin(enabled: boolean): Promise<void> {
  if (process.platform === 'linux') setAutostart(enabled, launchCommand());
  else app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_FLAG] });
}
