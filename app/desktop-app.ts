// The desktop app once Electron is ready: the agent (joined or run here), the app:// GUI, the IPC
// bridge, the live stream relayed to the window, notifications for threats and failures, the tray, and
// quitting cleanly (the agent this app runs is stopped before the process exits).

import { BrowserWindow, Notification, app, dialog, session } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StreamMessage } from '../main/api/index.js';
import { builtRendererRoot } from '../main/agent/renderer-assets.js';
import { followEventStream } from '../renderer/src/transport/reconnecting-stream.js';
import { bringUpAgent, type AgentLink } from './agent-host.js';
import { serveAppScheme } from './app-protocol.js';
import { createIpcHandlers } from './ipc-handlers.js';
import { wireIpc } from './ipc-wiring.js';
import { lockAllFolders } from './lock-all.js';
import { scanAllFolders } from './scan-all.js';
import { getStartAtLogin, setStartAtLogin } from './login-item.js';
import { createMainWindow } from './main-window.js';
import { NoticeDeduper, noticeFor } from './threat-notice.js';
import { StrataTray } from './tray.js';
import { AGENT_TRAY_CAPABILITIES, trayModel, type TrayAction } from './tray-model.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
/** Compiled app/ lives in build/app; the preload beside it, the tray icons in the source tree or the package's resources. */
const PRELOAD = join(HERE, 'preload.cjs');
const RESOURCES = app.isPackaged ? process.resourcesPath : join(app.getAppPath(), 'app', 'resources');
const TRAY_REFRESH_MS = 30_000;

export class DesktopApp {
  private window: BrowserWindow | null = null;
  private link: AgentLink | null = null;
  private tray: StrataTray | null = null;
  private quitting = false;
  private lastHello: StreamMessage | null = null;
  private readonly trusted = new Set<number>();
  private readonly streamTargets = new Map<number, (message: unknown) => void>();
  private readonly notices = new NoticeDeduper();
  private readonly cleanups: Array<() => void> = [];

  constructor(private readonly dataDir: string) {}

  async start(showWindow: boolean): Promise<void> {
    // The GUI needs no permission: camera, notifications, clipboard reads... are all refused.
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    serveAppScheme(builtRendererRoot());
    this.tray = new StrataTray(join(RESOURCES, 'tray'), (action) => void this.onTrayAction(action));
    try {
      this.link = await bringUpAgent(this.dataDir, app.getVersion());
    } catch (error) {
      this.tray.update(trayModel(null, AGENT_TRAY_CAPABILITIES, (error as Error).message));
      dialog.showErrorBox('Strata cannot start its protection', (error as Error).message);
      return;
    }
    const link = this.link;
    const handlers = createIpcHandlers(
      {
        api: link.api,
        pickFolder: async () => {
          const options = { properties: ['openDirectory' as const, 'createDirectory' as const] };
          const picked = this.window ? await dialog.showOpenDialog(this.window, options) : await dialog.showOpenDialog(options);
          return picked.canceled ? null : (picked.filePaths[0] ?? null);
        },
        getStartAtLogin,
        setStartAtLogin,
      },
      this.trusted,
    );
    this.cleanups.push(wireIpc(handlers, this.trusted, (id, send) => {
      this.streamTargets.set(id, send);
      if (this.lastHello !== null) send(this.lastHello);
    }));
    const stream = followEventStream({ baseUrl: link.url, token: link.token, onMessage: (message) => this.onMessage(message) });
    this.cleanups.push(() => stream.close());
    const timer = setInterval(() => void this.refreshTray(), TRAY_REFRESH_MS);
    this.cleanups.push(() => clearInterval(timer));
    await this.refreshTray();
    if (showWindow) this.showWindow();
  }

  showWindow(): void {
    if (this.window === null || this.window.isDestroyed()) {
      const win = createMainWindow({ preloadPath: PRELOAD, iconPath: join(RESOURCES, 'icon.png'), isQuitting: () => this.quitting });
      const id = win.webContents.id;
      this.trusted.add(id);
      win.on('closed', () => {
        this.trusted.delete(id);
        this.streamTargets.delete(id);
        this.window = null;
      });
      this.window = win;
      return;
    }
    if (this.window.isMinimized()) this.window.restore();
    this.window.show();
    this.window.focus();
  }

  /** Stops what this app started; the agent last, so in-flight work finishes. */
  async shutdown(): Promise<void> {
    this.quitting = true;
    for (const cleanup of this.cleanups.splice(0).reverse()) cleanup();
    this.tray?.destroy();
    await this.link?.stop();
  }

  markQuitting(): void {
    this.quitting = true;
  }

  private onMessage(message: StreamMessage): void {
    if (message.type === 'hello') this.lastHello = message;
    for (const send of this.streamTargets.values()) send(message);
    if (message.type === 'event') {
      const notice = noticeFor(message.event);
      if (notice !== null && Notification.isSupported() && this.notices.admit(message.event, notice, Date.now())) {
        const shown = new Notification({ title: notice.title, body: notice.body, urgency: notice.urgent ? 'critical' : 'normal' });
        shown.on('click', () => this.showWindow());
        shown.show();
      }
    }
    if (message.type === 'folder' || message.type === 'folder-removed') void this.refreshTray();
    if (message.type === 'event' && (message.event.action === 'protection-paused' || message.event.action === 'protection-resumed')) void this.refreshTray();
  }

  private async refreshTray(): Promise<void> {
    if (this.tray === null || this.link === null) return;
    try {
      this.tray.update(trayModel(await this.link.api.status({}), AGENT_TRAY_CAPABILITIES));
    } catch (error) {
      this.tray.update(trayModel(null, AGENT_TRAY_CAPABILITIES, (error as Error).message));
    }
  }

  private async onTrayAction(action: TrayAction): Promise<void> {
    try {
      if (action === 'open') this.showWindow();
      else if (action === 'quit') app.quit();
      else if (action === 'lock-all' && this.link !== null) await this.lockAll(this.link);
      else if (action === 'scan-now' && this.link !== null) await this.scanAll(this.link);
      else if (action === 'pause' && this.link !== null) await this.link.api.pauseProtection({ minutes: 60 });
      else if (action === 'resume' && this.link !== null) await this.link.api.resumeProtection({});
      if (action === 'pause' || action === 'resume') await this.refreshTray();
    } catch (error) {
      new Notification({ title: 'Strata could not do that', body: (error as Error).message }).show();
    }
  }

  /** Starts a full scan of every scanned folder; progress and results are in the window's Scans view. */
  private async scanAll(link: AgentLink): Promise<void> {
    const { started, failed } = await scanAllFolders(link.api);
    if (failed.length > 0) new Notification({ title: 'Strata could not scan every folder', body: failed.join('\n') }).show();
    else new Notification({ title: started.length === 0 ? 'No folder has virus scanning on' : `Scanning ${started.join(', ')}`, body: 'Open Strata to follow the scan.' }).show();
  }

  /** Locks every encrypted folder (ending its CLI unlock sessions too); a failure is a notification, and the others still lock. */
  private async lockAll(link: AgentLink): Promise<void> {
    const { failed } = await lockAllFolders(link.api);
    if (failed.length > 0) new Notification({ title: 'Strata could not lock every folder', body: failed.join('\n') }).show();
    await this.refreshTray();
  }
}
