// The preload of the main window: exposes window.strata, one narrow typed API, and nothing else (never
// ipcRenderer itself). A sandboxed preload is a CommonJS script that can require only 'electron', so
// the channel names are literals here, checked against the main process's list by the type below.

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { StrataBridge } from '../renderer/src/transport/strata-bridge.js';
import type { IpcChannel } from './ipc-channels.js';

const channel = <C extends IpcChannel>(name: C): C => name;

const bridge: StrataBridge = {
  call: (operation, request) => ipcRenderer.invoke(channel('strata:call'), operation, request),
  subscribe: (listener) => {
    const forward = (_event: IpcRendererEvent, message: unknown) => listener(message);
    ipcRenderer.on(channel('strata:stream'), forward);
    ipcRenderer.send(channel('strata:stream-ready'));
    return () => {
      ipcRenderer.removeListener(channel('strata:stream'), forward);
    };
  },
  pickFolder: () => ipcRenderer.invoke(channel('strata:pick-folder')),
  getDesktopSettings: () => ipcRenderer.invoke(channel('strata:get-desktop-settings')),
  setStartAtLogin: (enabled) => ipcRenderer.invoke(channel('strata:set-start-at-login'), enabled),
};

contextBridge.exposeInMainWorld('strata', bridge);
