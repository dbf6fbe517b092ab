// Which IPC senders may use the bridge: only the main frame of Strata's own window, showing a page of
// Strata's own app:// origin. A subframe, another window, or a page that somehow navigated elsewhere
// is refused, so nothing but the GUI can drive the agent.

export const APP_SCHEME = 'app';
export const APP_HOST = 'strata';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

export interface IpcSender {
  /** The URL of the frame that sent the message; null when the frame is gone. */
  frameUrl: string | null;
  /** False for messages from an iframe. */
  isMainFrame: boolean;
  /** The sending page's webContents id. */
  webContentsId: number;
}

export function isTrustedSender(sender: IpcSender, trustedWebContentsIds: ReadonlySet<number>): boolean {
  if (!sender.isMainFrame || sender.frameUrl === null || !trustedWebContentsIds.has(sender.webContentsId)) return false;
  try {
    const url = new URL(sender.frameUrl);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}
