// Connects the IPC handlers to Electron's ipcMain: each channel is handled once, with the sender
// described for the trust check (frame URL, main frame or not, which webContents).

import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { IPC_CHANNELS } from './ipc-channels.js';
import type { IpcHandlers } from './ipc-handlers.js';
import { isTrustedSender, type IpcSender } from './trusted-sender.js';

export function senderOf(event: IpcMainInvokeEvent | IpcMainEvent): IpcSender {
  const frame = event.senderFrame;
  return { frameUrl: frame?.url ?? null, isMainFrame: frame !== null && frame.parent === null, webContentsId: event.sender.id };
}

export function wireIpc(handlers: IpcHandlers, trusted: ReadonlySet<number>, onStreamReady: (webContentsId: number, send: (message: unknown) => void) => void): () => void {
  ipcMain.handle(IPC_CHANNELS.call, (event, operation: unknown, request: unknown) => handlers.call(senderOf(event), operation, request));
  ipcMain.handle(IPC_CHANNELS.pickFolder, (event) => handlers.pickFolder(senderOf(event)));
  ipcMain.handle(IPC_CHANNELS.getDesktopSettings, (event) => handlers.getDesktopSettings(senderOf(event)));
  ipcMain.handle(IPC_CHANNELS.setStartAtLogin, (event, enabled: unknown) => handlers.setStartAtLogin(senderOf(event), enabled));
  const ready = (event: IpcMainEvent) => {
    if (!isTrustedSender(senderOf(event), trusted)) return;
    const contents = event.sender;
    onStreamReady(contents.id, (message) => {
      if (!contents.isDestroyed()) contents.send(IPC_CHANNELS.stream, message);
    });
  };
  ipcMain.on(IPC_CHANNELS.streamReady, ready);
  return () => {
    for (const channel of [IPC_CHANNELS.call, IPC_CHANNELS.pickFolder, IPC_CHANNELS.getDesktopSettings, IPC_CHANNELS.setStartAtLogin]) ipcMain.removeHandler(channel);
    ipcMain.off(IPC_CHANNELS.streamReady, ready);
  };
}
