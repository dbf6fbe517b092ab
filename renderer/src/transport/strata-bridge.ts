// The contract between the GUI and a desktop host: what the Electron preload exposes as `window.strata`.
// One generic call per API operation (answers come back as an envelope, because Electron's IPC keeps
// only the message of a thrown error), the agent's live messages, and what only a desktop app can do.

import type { ApiErrorBody, OperationName } from '../../../main/api/index.js';

export type BridgeAnswer = { ok: true; value: unknown } | { ok: false; error: ApiErrorBody };

export interface DesktopSettings {
  /** Strata starts when the user logs in (a login item, or an XDG autostart entry on Linux). */
  startAtLogin: boolean;
}

export interface StrataBridge {
  /** Runs one API operation in the agent; the main process validates `request` against its schema. */
  call(operation: OperationName, request: unknown): Promise<BridgeAnswer>;
  /** Every message of the agent's event stream, as it arrives; returns the unsubscribe function. */
  subscribe(listener: (message: unknown) => void): () => void;
  /** A native folder picker; null when the user cancels. */
  pickFolder(): Promise<string | null>;
  getDesktopSettings(): Promise<DesktopSettings>;
  setStartAtLogin(enabled: boolean): Promise<DesktopSettings>;
}

export const BRIDGE_GLOBAL = 'strata';
