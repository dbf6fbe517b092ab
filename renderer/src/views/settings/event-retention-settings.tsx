// Trimming the event log: delete events older than a number of days, after confirmation.

import { useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { Field } from '../../components/field.js';
import { useAgent } from '../../state/agent-context.js';

export function EventRetentionSettings() {
  const { api } = useAgent();
  const [days, setDays] = useState('90');
  const [asking, setAsking] = useState(false);
  const [done, setDone] = useState<number | null>(null);
  const valid = /^\d+$/.test(days.trim());
  return (
    <section className="panel" aria-labelledby="retention-heading">
      <h2 id="retention-heading">Event log</h2>
      <div className="field-row">
        <Field label="Delete events older than (days)" error={valid ? undefined : 'enter a whole number of days'}>
          <input type="number" min={0} value={days} onChange={(e) => { setDays(e.target.value); setDone(null); }} />
        </Field>
        <button type="button" className="align-end" disabled={!valid} onClick={() => setAsking(true)}>Delete old events…</button>
      </div>
      {done !== null && <p role="status">{done === 1 ? '1 event deleted.' : `${done} events deleted.`}</p>}
      {asking && (
        <ConfirmDialog title="Delete old events?" confirmLabel="Delete" danger
          onConfirm={async () => {
            const olderThan = new Date(Date.now() - Number(days) * 86_400_000).toISOString();
            setDone((await api.pruneEvents({ olderThan })).deleted);
          }}
          onClose={() => setAsking(false)}>
          <p>Events older than {days} days are deleted for good.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
