// What the main process does for each bridge call, as plain functions over real services (tested
// without Electron): the sender is checked first, every payload is validated against the main/api
// schemas before anything runs, and answers travel as an envelope that keeps the API error intact.

import { z } from 'zod';
import {
  ApiRequestError, invalidRequest, isOperationName, operations, type OperationName, type StrataApi,
} from '../main/api/index.js';
import type { BridgeAnswer, DesktopSettings } from '../renderer/src/transport/strata-bridge.js';
import { isTrustedSender, type IpcSender } from './trusted-sender.js';

export interface DesktopServices {
  readonly api: StrataApi;
  pickFolder(): Promise<string | null>;
  getStartAtLogin(): Promise<boolean>;
  setStartAtLogin(enabled: boolean): Promise<void>;
}

export class UntrustedSenderError extends Error {
  override readonly name = 'UntrustedSenderError';
  constructor(channel: string, sender: IpcSender) {
    super(`refused ${channel} from ${sender.frameUrl ?? 'a closed frame'} (webContents ${sender.webContentsId}${sender.isMainFrame ? '' : ', a subframe'})`);
  }
}

export interface IpcHandlers {
  call(sender: IpcSender, operation: unknown, request: unknown): Promise<BridgeAnswer>;
  pickFolder(sender: IpcSender): Promise<string | null>;
  getDesktopSettings(sender: IpcSender): Promise<DesktopSettings>;
  setStartAtLogin(sender: IpcSender, enabled: unknown): Promise<DesktopSettings>;
}

const Enabled = z.boolean({ error: 'start at login takes true or false' });

export function createIpcHandlers(services: DesktopServices, trustedWebContents: ReadonlySet<number>): IpcHandlers {
  const check = (channel: string, sender: IpcSender) => {
    if (!isTrustedSender(sender, trustedWebContents)) throw new UntrustedSenderError(channel, sender);
  };
  const settings = async (): Promise<DesktopSettings> => ({ startAtLogin: await services.getStartAtLogin() });
  return {
    async call(sender, operation, request) {
      check('call', sender);
      try {
        if (typeof operation !== 'string' || !isOperationName(operation)) {
          throw new ApiRequestError('not-found', `there is no API operation '${String(operation)}'`);
        }
        return { ok: true, value: await run(services.api, operation, request) };
      } catch (error) {
        const apiError = error instanceof ApiRequestError ? error : new ApiRequestError('internal', `the desktop app failed: ${(error as Error).message}`);
        return { ok: false, error: apiError.toBody() };
      }
    },
    async pickFolder(sender) {
      check('pickFolder', sender);
      return services.pickFolder();
    },
    async getDesktopSettings(sender) {
      check('getDesktopSettings', sender);
      return settings();
    },
    async setStartAtLogin(sender, enabled) {
      check('setStartAtLogin', sender);
      await services.setStartAtLogin(Enabled.parse(enabled));
      return settings();
    },
  };
}

async function run<N extends OperationName>(api: StrataApi, name: N, request: unknown): Promise<unknown> {
  const parsed = operations[name].request.safeParse(request ?? {});
  if (!parsed.success) throw invalidRequest(`the ${name} request`, parsed.error);
  const method = api[name] as (request: unknown) => Promise<unknown>;
  return method(parsed.data);
}
