// Where Strata keeps its data: an explicit choice, else STRATA_DATA_DIR, else the OS per-user app-data folder.
import { homedir } from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'Strata';

export interface HostInfo {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homedir: string;
}

export function currentHost(): HostInfo {
  return { platform: process.platform, env: process.env, homedir: homedir() };
}

/**
 * The same folder Electron reports as `app.getPath('userData')` for an app
 * named Strata, so the GUI and the CLI agree without talking to each other.
 */
export function defaultDataDir(host: HostInfo = currentHost()): string {
  switch (host.platform) {
    case 'win32': {
      const appData = host.env.APPDATA || path.win32.join(host.homedir, 'AppData', 'Roaming');
      return path.win32.join(appData, APP_DIR_NAME);
    }
    case 'darwin':
      return path.posix.join(host.homedir, 'Library', 'Application Support', APP_DIR_NAME);
    default: {
      // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
      const xdg = host.env.XDG_CONFIG_HOME;
      const base = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(host.homedir, '.config');
      return path.posix.join(base, APP_DIR_NAME);
    }
  }
}

/** Resolves the data dir to an absolute path; an empty string counts as "not given". */
export function resolveDataDir(explicit?: string, host: HostInfo = currentHost()): string {
  if (explicit) return path.resolve(explicit);
  const fromEnv = host.env.STRATA_DATA_DIR;
  if (fromEnv) return path.resolve(fromEnv);
  return defaultDataDir(host);
}
