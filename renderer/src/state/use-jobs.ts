// The agent's long jobs, live: the running ones from the status at load, then every progress message,
// re-rendered once a second so rates and times left stay fresh.

import { useEffect, useRef, useState } from 'react';
import { useAgent, useStreamMessages } from './agent-context.js';
import { JobTracker, type TrackedJob } from './job-tracker.js';

export function useJobs(): TrackedJob[] {
  const { api } = useAgent();
  const tracker = useRef(new JobTracker());
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    let live = true;
    api.status({}).then(
      (status) => {
        if (!live) return;
        for (const job of status.jobs) tracker.current.apply(job, Date.now());
        setNow(Date.now());
      },
      () => undefined, // the dashboard shows an unreachable agent; jobs just stay empty
    );
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      live = false;
      clearInterval(tick);
    };
  }, [api]);
  useStreamMessages((message) => {
    if (message.type !== 'progress') return;
    tracker.current.apply(message.job, Date.now());
    setNow(Date.now());
  });
  return tracker.current.list(now);
}
