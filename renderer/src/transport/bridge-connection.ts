// The transport inside the Electron window: every call and message goes through the preload bridge.
// Requests are checked here as the HTTP client checks them, and answers again on arrival, so a view
// sees the same values and the same errors whichever host it runs in.

import {
  ApiErrorBody, ApiRequestError, bindOperations, invalidRequest, operations, StreamMessage,
  type OperationName, type RequestOf, type ResponseOf,
} from '../../../main/api/index.js';
import { Cell, MessageFanout, type AgentConnection, type LinkState } from './agent-connection.js';
import type { StrataBridge } from './strata-bridge.js';

export function connectThroughBridge(bridge: StrataBridge): AgentConnection {
  const call = async <N extends OperationName>(name: N, request: RequestOf<N>): Promise<ResponseOf<N>> => {
    const checked = operations[name].request.safeParse(request ?? {});
    if (!checked.success) throw invalidRequest(`the ${name} request`, checked.error);
    const answer = await bridge.call(name, checked.data);
    if (!answer.ok) {
      const body = ApiErrorBody.safeParse(answer.error);
      throw body.success ? ApiRequestError.fromBody(body.data) : new ApiRequestError('internal', `the desktop app answered ${name} with a malformed error`);
    }
    const parsed = operations[name].response.safeParse(answer.value);
    if (!parsed.success) throw new ApiRequestError('internal', `the agent's answer to ${name} does not match the API`);
    return parsed.data as ResponseOf<N>;
  };

  const fanout = new MessageFanout();
  const link = new Cell<LinkState>('connecting');
  const unsubscribe = bridge.subscribe((raw) => {
    const message = StreamMessage.safeParse(raw);
    if (!message.success) return; // the main process validated it already; a mismatch here is dropped
    link.set('live');
    fanout.publish(message.data);
  });

  return {
    api: bindOperations(call),
    desktop: {
      pickFolder: () => bridge.pickFolder(),
      getSettings: () => bridge.getDesktopSettings(),
      setStartAtLogin: (enabled) => bridge.setStartAtLogin(enabled),
    },
    subscribe: (listener) => fanout.subscribe(listener),
    link,
    close: unsubscribe,
  };
}
