// The IPC channels between the preload bridge and the main process: the only names either side may
// use. The preload (a sandboxed CommonJS script) repeats them as literals checked against this type.

export const IPC_CHANNELS = {
  /** invoke(operation, request) → BridgeAnswer */
  call: 'strata:call',
  /** invoke() → string | null */
  pickFolder: 'strata:pick-folder',
  /** invoke() → DesktopSettings */
  getDesktopSettings: 'strata:get-desktop-settings',
  /** invoke(enabled) → DesktopSettings */
  setStartAtLogin: 'strata:set-start-at-login',
  /** renderer → main: a page started listening; the main process greets it with the latest hello. */
  streamReady: 'strata:stream-ready',
  /** main → renderer: one StreamMessage. */
  stream: 'strata:stream',
} as const;

export type IpcChannel = (typeof IPC_CHANNELS)[keyof typeof IPC_CHANNELS];
