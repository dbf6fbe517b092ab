// Events as a table: when, which folder and file, what happened and how it ended, in words.

import { memo } from 'react';
import type { EventRecord } from '../../../main/api/index.js';
import { ACTION_WORDS, RESULT_WORDS, detailInWords, formatDateTime, formatRelativeTime } from '../words/format.js';
import { StateBadge, type Tone } from './state-badge.js';

const RESULT_TONES: Record<EventRecord['result'], Tone> = { ok: 'good', skipped: 'neutral', refused: 'warn', failed: 'bad', infected: 'bad' };

export function EventTable({ events, caption, showFolder = true }: { events: readonly EventRecord[]; caption: string; showFolder?: boolean }) {
  // Rows re-render only when their event changes, or once a minute so "5 minutes ago" stays true.
  const minute = Math.floor(Date.now() / 60_000);
  if (events.length === 0) return <p className="muted">Nothing to show.</p>;
  return (
    <div className="table-scroll">
      <table className="events">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            {showFolder && <th scope="col">Folder</th>}
            <th scope="col">File</th>
            <th scope="col">What happened</th>
            <th scope="col">Result</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => <EventRow key={event.id} event={event} showFolder={showFolder} minute={minute} />)}
        </tbody>
      </table>
    </div>
  );
}

/** One event; memoised, so a burst of new events renders only the new rows. */
const EventRow = memo(function EventRow({ event, showFolder }: { event: EventRecord; showFolder: boolean; minute: number }) {
  return (
    <tr>
      <td><time dateTime={event.time} title={formatDateTime(event.time)}>{formatRelativeTime(event.time)}</time></td>
      {showFolder && <td>{event.folderName ?? '—'}</td>}
      <td className="path">{event.path ?? '—'}</td>
      <td>{ACTION_WORDS[event.action]}</td>
      <td><StateBadge tone={RESULT_TONES[event.result]}>{RESULT_WORDS[event.result]}</StateBadge></td>
      <td>{event.detail === null ? '' : detailInWords(event.detail)}</td>
    </tr>
  );
});
