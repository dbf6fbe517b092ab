// The event log: filter by folder, kind and result, search paths and details, new events appear live,
// older ones page in on demand.

import { useEffect, useState } from 'react';
import { EventAction, EventResult } from '../../../main/api/index.js';
import { ErrorNotice } from '../components/error-notice.js';
import { EventTable } from '../components/event-table.js';
import { Field } from '../components/field.js';
import { ViewHeading } from '../components/view-heading.js';
import { useLinkState } from '../state/agent-context.js';
import type { EventFilter } from '../state/event-filter.js';
import { useEventLog } from '../state/use-event-log.js';
import { useFolders } from '../state/use-folders.js';
import { ACTION_WORDS, RESULT_WORDS } from '../words/format.js';

const SEARCH_DELAY_MS = 300;

export function EventsView({ folder: initialFolder }: { folder?: string }) {
  const folders = useFolders();
  const link = useLinkState();
  const [folder, setFolder] = useState(initialFolder ?? '');
  const [action, setAction] = useState('');
  const [result, setResult] = useState('');
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setSearch(typed), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed]);
  useEffect(() => setFolder(initialFolder ?? ''), [initialFolder]);

  const filter: EventFilter = {
    ...(folder ? { folder } : {}),
    ...(action ? { actions: [EventAction.parse(action)] } : {}),
    ...(result ? { results: [EventResult.parse(result)] } : {}),
    ...(search.trim() ? { search } : {}),
  };
  const log = useEventLog(filter);

  return (
    <div className="view">
      <ViewHeading>Event log</ViewHeading>
      <p className="live-state" role="status">
        {link === 'live' ? 'New events appear as they happen.' : 'Reconnecting to the agent: new events will appear once it answers.'}
      </p>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <Field label="Folder">
          <select value={folder} onChange={(e) => setFolder(e.target.value)}>
            <option value="">All folders</option>
            {folders.value?.map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
          </select>
        </Field>
        <Field label="What happened">
          <select value={action} onChange={(e) => setAction(e.target.value)}>
            <option value="">Anything</option>
            {EventAction.options.map((a) => <option key={a} value={a}>{ACTION_WORDS[a]}</option>)}
          </select>
        </Field>
        <Field label="Result">
          <select value={result} onChange={(e) => setResult(e.target.value)}>
            <option value="">Any result</option>
            {EventResult.options.map((r) => <option key={r} value={r}>{RESULT_WORDS[r]}</option>)}
          </select>
        </Field>
        <Field label="Search files and details">
          <input type="search" value={typed} onChange={(e) => setTyped(e.target.value)} maxLength={200} />
        </Field>
      </form>
      <ErrorNotice error={log.error} />
      {log.events === undefined ? <p>Loading…</p> : <EventTable events={log.events} caption="Events, newest first" />}
      {log.hasOlder && (
        <button type="button" onClick={() => void log.loadOlder()}>
          Show older events
        </button>
      )}
    </div>
  );
}
