// Whether protection is paused: while it is, a warning says until when and what is off, with "Resume
// protection now"; otherwise "Pause protection for 1 hour". Follows the agent's events, so a pause from
// the tray or its end when the hour is up shows at once.

import { useAgent, useStreamMessages } from '../state/agent-context.js';
import { useAction, useLoad } from '../state/use-load.js';
import { formatTime } from '../words/format.js';
import { ErrorNotice } from './error-notice.js';

export function PausePanel() {
  const { api } = useAgent();
  const status = useLoad(() => api.status({}), [api]);
  useStreamMessages((message) => {
    if (message.type === 'event' && (message.event.action === 'protection-paused' || message.event.action === 'protection-resumed')) status.reload();
  });
  const change = useAction(async (pause: boolean) => {
    const state = pause ? await api.pauseProtection({ minutes: 60 }) : await api.resumeProtection({});
    status.update((value) => (value === undefined ? value : { ...value, pause: state }));
  });
  const pause = status.value?.pause;
  if (pause === undefined) return <ErrorNotice error={status.error} />;
  if (pause.paused) {
    return (
      <div className="notice notice-warn" role="status" aria-label="Protection paused">
        <p className="notice-title">Protection is paused until {formatTime(pause.until!)}.</p>
        <p>Files are not scanned for viruses when they are opened or written, and files dropped into folders are taken in without a scan (they are scanned when protection resumes). Encryption and cold storage keep working. Protection resumes by itself at {formatTime(pause.until!)}.</p>
        <div className="button-row">
          <button type="button" className="primary" disabled={change.busy} onClick={() => void change.run(false)}>Resume protection now</button>
        </div>
        <ErrorNotice error={change.error} />
      </div>
    );
  }
  return (
    <div className="button-row pause-row">
      <button type="button" disabled={change.busy} onClick={() => void change.run(true)}>Pause protection for 1 hour</button>
      <ErrorNotice error={change.error} />
    </div>
  );
}
