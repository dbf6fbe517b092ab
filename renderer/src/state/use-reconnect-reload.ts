// Reloads a view's data when the event stream comes back after a drop: the hello of a reconnect means
// some messages may have been missed. The first hello (the initial connect) changes nothing.

import { useRef } from 'react';
import { useStreamMessages } from './agent-context.js';

export function useReconnectReload(reload: () => void): void {
  const hellos = useRef(0);
  useStreamMessages((message) => {
    if (message.type === 'hello' && hellos.current++ > 0) reload();
  });
}
