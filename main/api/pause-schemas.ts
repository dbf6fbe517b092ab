// Pausing protection for a while (the tray's "Pause protection for 1 hour"): on-access virus scanning
// stops until the time is up, then it resumes by itself. The running agent's pause state is part of its
// status.

import { z } from 'zod';
import { Timestamp } from './names.js';

export const PauseState = z.strictObject({
  paused: z.boolean(),
  since: Timestamp.nullable(),
  /** When protection resumes by itself. */
  until: Timestamp.nullable(),
});
export type PauseState = z.infer<typeof PauseState>;

export const PauseRequest = z.strictObject({
  minutes: z.int().min(1, 'pause for at least a minute').max(24 * 60, 'pause for at most a day').default(60),
});
