// What the HSM filter tells its host (the CLI prints it, the agent logs it): recalls and their
// progress, failures with the NT status and a sentence saying why, invalid stubs, journal recovery.

import type { NTSTATUS } from '../../../main/io/index.js';

export type HsmEvent =
  | { kind: 'recall-started'; path: string; size: number }
  | { kind: 'recall-progress'; path: string; done: number; size: number }
  /** `copy`: how the bytes came (a kernel copy of the tier's host file, or streamed through the stack). */
  | { kind: 'recall-done'; path: string; size: number; copy: RecallCopy }
  | { kind: 'recall-failed'; path: string; status: NTSTATUS; message: string }
  | { kind: 'stub-invalid'; path: string; status: NTSTATUS; message: string }
  | { kind: 'recovered'; path: string; journal: 'migrate' | 'recall'; action: 'rolled back' | 'completed'; detail: string }
  | { kind: 'warning'; path: string; message: string };

export type RecallCopy = 'offloaded' | 'streamed';

export type HsmEventSink = (event: HsmEvent) => void;
