// Files taken out of the way because they carried a threat, as the event log records them.

import { ErrorNotice } from '../components/error-notice.js';
import { EventTable } from '../components/event-table.js';
import { ViewHeading } from '../components/view-heading.js';
import { useEventLog } from '../state/use-event-log.js';

const QUARANTINE = { actions: ['quarantined', 'threat-found', 'blocked'] } as const;

export function QuarantineView() {
  const log = useEventLog(QUARANTINE, 200);
  return (
    <div className="view">
      <ViewHeading>Quarantine</ViewHeading>
      <p>
        Infected files never land in a protected folder: the original is kept encrypted in quarantine.
      </p>
      <ErrorNotice error={log.error} />
      {log.events === undefined ? <p>Loading…</p> : <EventTable events={log.events} caption="Threats found and quarantined" />}
      {log.hasOlder && <button type="button" onClick={() => void log.loadOlder()}>Show older</button>}
    </div>
  );
}
