// "Pause protection for 1 hour": while paused, on-access virus scanning is off in every folder (opens
// and writes are not scanned, files dropped into folders are still taken in — encrypted where the
// folder is encrypted — but not scanned). Encryption, cold storage and auto-lock never pause. The pause
// ends by itself when its time is up (a timer, and a check on every status); it never outlives the
// agent: a restarted agent protects in full. Each start and end is an event.

import type { PauseState } from '../../api/index.js';

export interface ProtectionPauseDeps {
  /** Applies the state to every folder; on resume, answers which folders took files in unscanned. */
  apply: (paused: boolean) => void;
  /** The event log entry for a pause or a resume. */
  record: (action: 'protection-paused' | 'protection-resumed', detail: string) => void;
  /** Anything that shows the pause (the event stream's folder states) changed. */
  changed: () => void;
}

export class ProtectionPause {
  private since: number | null = null;
  private until: number | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: ProtectionPauseDeps) {}

  state(): PauseState {
    this.expireIfDue();
    return {
      paused: this.until !== null,
      since: this.since === null ? null : new Date(this.since).toISOString(),
      until: this.until === null ? null : new Date(this.until).toISOString(),
    };
  }

  /** Pauses for `ms` from now (a second pause while paused moves the end). */
  pause(ms: number): PauseState {
    const now = Date.now();
    const wasPaused = this.until !== null;
    this.since ??= now;
    this.until = now + ms;
    this.arm(ms);
    if (!wasPaused) this.deps.apply(true);
    this.deps.record('protection-paused', `on-access virus scanning paused until ${new Date(this.until).toISOString()}; it resumes by itself then`);
    this.deps.changed();
    return this.state();
  }

  resume(why: 'by the user' | 'the pause time ran out' | 'the agent stopped' = 'by the user'): PauseState {
    if (this.until === null) return this.state();
    this.disarm();
    this.since = null;
    this.until = null;
    this.deps.apply(false);
    this.deps.record('protection-resumed', `on-access virus scanning resumed (${why})`);
    this.deps.changed();
    return this.state();
  }

  stop(): void {
    this.resume('the agent stopped');
  }

  private expireIfDue(): void {
    if (this.until !== null && Date.now() >= this.until) this.resume('the pause time ran out');
  }

  private arm(ms: number): void {
    this.disarm();
    // Timers longer than ~24.8 days overflow; a pause is at most a day.
    this.timer = setTimeout(() => this.resume('the pause time ran out'), ms);
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
