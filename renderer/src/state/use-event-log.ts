// A page of the event log for a filter, kept live: matching events from the stream are added on top
// (batched per frame),
// events missed while the stream was down are fetched after it reconnects, older pages load on demand.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventRecord } from '../../../main/api/index.js';
import { useAgent, useStreamMessages } from './agent-context.js';
import { eventMatches, mergeNewer, queryOf, type EventFilter } from './event-filter.js';
import { useLoad } from './use-load.js';

export interface EventLogView {
  events: readonly EventRecord[] | undefined;
  error: unknown;
  loading: boolean;
  hasOlder: boolean;
  loadOlder(): Promise<void>;
}

export function useEventLog(filter: EventFilter, limit = 100): EventLogView {
  const { api } = useAgent();
  const key = JSON.stringify(filter);
  const [olderError, setOlderError] = useState<unknown>(null);
  const loaded = useLoad(async () => {
    setOlderError(null);
    const page = await api.queryEvents(queryOf(filter, { limit }));
    return { events: page.events, nextBefore: page.nextBefore };
  }, [api, key, limit]);

  // A burst of events (a storm of files) is added once per frame, not re-rendered once per event.
  const incoming = useRef<EventRecord[]>([]);
  const flush = useCallback(() => {
    const batch = incoming.current.splice(0);
    if (batch.length > 0) loaded.update((page) => page && { ...page, events: mergeNewer(page.events, batch) });
  }, [loaded.update]);
  useEffect(() => () => void incoming.current.splice(0), [key]);
  useStreamMessages((message) => {
    if (message.type === 'event' && eventMatches(filter, message.event)) {
      if (incoming.current.push(message.event) === 1) requestAnimationFrame(flush);
    }
    if (message.type === 'hello' && loaded.value !== undefined) {
      // Whatever was logged while the stream was down.
      const newest = loaded.value.events[0]?.id ?? 0;
      api.queryEvents({ ...queryOf(filter, { limit: 1000 }), after: newest }).then(
        (page) => loaded.update((current) => current && { ...current, events: mergeNewer(current.events, page.events) }),
        () => undefined,
      );
    }
  });

  const loadOlder = useCallback(async () => {
    const before = loaded.value?.nextBefore;
    if (before === null || before === undefined) return;
    try {
      const page = await api.queryEvents(queryOf(filter, { before, limit }));
      loaded.update((current) => current && { events: [...current.events, ...page.events], nextBefore: page.nextBefore });
    } catch (error) {
      setOlderError(error);
    }
  }, [api, key, limit, loaded.value?.nextBefore]);

  return {
    events: loaded.value?.events,
    error: loaded.error ?? olderError,
    loading: loaded.loading,
    hasOlder: (loaded.value?.nextBefore ?? null) !== null,
    loadOlder,
  };
}
