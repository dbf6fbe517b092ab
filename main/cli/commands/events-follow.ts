// `strata events --follow`: prints new events as they are recorded until Ctrl-C: from the agent's event
// stream when an agent runs (with a catch-up query so nothing falls between the page and the stream),
// else by polling the log in-process.

import { setTimeout as sleep } from 'node:timers/promises';
import { openEventStream, type EventQuery, type EventRecord, type StrataApi } from '../../api/index.js';
import type { AgentConnection } from '../../agent/agent-client.js';

const POLL_MS = 500;

export async function followEvents(api: StrataApi, connection: AgentConnection, query: EventQuery, afterId: number, signal: AbortSignal, print: (event: EventRecord) => void): Promise<void> {
  let last = afterId;
  const show = (event: EventRecord) => {
    if (event.id <= last || !matches(event, query)) return;
    last = event.id;
    print(event);
  };
  const catchUp = async () => {
    for (;;) {
      const page = await api.queryEvents({ ...query, after: last, before: undefined, limit: 1000 });
      page.events.forEach(show);
      if (page.events.length < 1000) return;
    }
  };
  if (connection.mode === 'in-process') {
    while (!signal.aborted) {
      await catchUp();
      await sleep(POLL_MS, undefined, { signal }).catch(() => undefined);
    }
    return;
  }
  const buffered: EventRecord[] = [];
  let ready = false;
  const closed = new Promise<void>((resolve) => {
    const stream = openEventStream({
      baseUrl: connection.url,
      token: connection.token,
      onMessage: (message) => {
        if (message.type !== 'event') return;
        if (ready) show(message.event);
        else buffered.push(message.event);
      },
      onClose: () => resolve(),
    });
    signal.addEventListener('abort', () => stream.close(), { once: true });
    void stream.opened.then(async () => {
      await catchUp();
      ready = true;
      buffered.splice(0).forEach(show);
    }, () => resolve());
  });
  await closed;
}

/** The stream sends every event; the query's own filters apply here (the folder was resolved by the agent). */
function matches(event: EventRecord, query: EventQuery): boolean {
  if (query.actions !== undefined && !query.actions.includes(event.action)) return false;
  if (query.results !== undefined && !query.results.includes(event.result)) return false;
  if (query.folder !== undefined && event.folderId !== query.folder && event.folderName?.toLowerCase() !== query.folder.toLowerCase()) return false;
  if (query.search !== undefined) {
    const needle = query.search.toLowerCase();
    if (!(event.path ?? '').toLowerCase().includes(needle) && !(event.detail ?? '').toLowerCase().includes(needle)) return false;
  }
  return true;
}
