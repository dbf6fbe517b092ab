// What the scan filter tells the world: events for the agent's log, and the sink infected content goes
// to (the quarantine store) before it is removed.

import type { ByteSource } from '../source/byte-source.js';

/** 'error': something the filter could not do that the user should know of (an undo journal it had to keep). */
export type ScanEventKind = 'threat-found' | 'blocked' | 'quarantined' | 'scanned' | 'error';
/**
 * Where the detection happened: a write, an open, the final verdict at cleanup, a medium scan, a folder
 * scan on request, or the recovery of a write a dead run left unfinished (journal-recovery.ts).
 */
export type ScanEventOrigin = 'write' | 'open' | 'cleanup' | 'media' | 'scan' | 'recovery';

export interface ScanEvent {
  readonly kind: ScanEventKind;
  readonly origin: ScanEventOrigin;
  /** The volume and the volume-relative path ("\Device\StrataFolder1", "\docs\a.exe"). */
  readonly volume: string;
  readonly path: string;
  readonly signature: string | null;
  readonly detail?: string;
}

export interface InfectedContent {
  /** How it was found. */
  readonly origin: ScanEventOrigin;
  readonly volume: string;
  readonly path: string;
  readonly signature: string;
  /** The infected bytes (what landed plus the refused write, for a blocked stream). */
  readonly content: ByteSource;
}

/** Keeps infected content (encrypted) before the filter removes it; returns the quarantine id. */
export interface InfectionSink {
  quarantine(item: InfectedContent): Promise<string>;
}
