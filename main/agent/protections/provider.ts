// The seam between the agent and the filters: one ProtectionProvider per kind turns a folder's policy
// settings into a minifilter registered on that folder's filter manager, plus its scheduled jobs and
// its part in ingest. Filters know nothing of the agent; their provider is the only place both meet.

import type { JobProgress, Protection, ProtectionKind, SignatureSet, Tier } from '../../api/index.js';
import type { NTSTATUS } from '../../io/index.js';
import type { Store } from '../../store/index.js';
import { hostRelativeOf } from '../../volumes/index.js';
import type { NewEvent } from '../events/event-log.js';
import type { FolderStack } from '../folder-stack.js';
import type { FolderRecord } from '../policy/policy-store.js';
import type { JobSpec } from '../scheduler/scheduler.js';

/** What a provider gets to attach to one folder (or one removable medium). */
export interface ProtectionContext {
  readonly folder: Pick<FolderRecord, 'id' | 'name' | 'path'>;
  readonly stack: FolderStack;
  readonly dataDir: string;
  readonly store: Store;
  /** Records an event for this folder (folder id and name are filled in). */
  readonly record: (event: Omit<NewEvent, 'folderId' | 'folderName'>) => void;
  /** Reports progress of long work (a migration run) on the event stream. */
  readonly progress: (job: Omit<JobProgress, 'folderId'>) => void;
  readonly tier: (name: string) => Tier | undefined;
  readonly signatureSet: (name: string) => SignatureSet | undefined;
  /** A detection the user allowed on this folder-relative file (restored from quarantine). */
  readonly allowedThreat?: (relativePath: string, signature: string) => boolean;
  /** Walks the folder again for files to take in: those a protection could not take in before now can (a vault just trusted). */
  readonly rescan?: () => void;
  /**
   * Why raw content starting with `head` must not go to cold storage yet (a protection the folder's policy
   * has on keeps files in another form and has not taken this one in: crypt's 'waiting to be encrypted'),
   * or null. Asks the providers' notInKeptForm as the policy stands at each call.
   */
  readonly coldContentGate?: (head: Uint8Array) => string | null;
}

/** A file dropped into the folder by another program, about to be ingested. */
export interface IngestCandidate {
  /** Folder-relative, forward slashes. */
  readonly relativePath: string;
  readonly absolutePath: string;
  readonly size: number;
  /** The first bytes of the raw file (up to 64). */
  readonly head: Uint8Array;
  /**
   * Set for a file in cold storage (an HSM stub: `head` is the stub's): whether its content, as the stack
   * reports it without a recall, is encrypted (FILE_ATTRIBUTE_ENCRYPTED).
   */
  readonly offline?: { readonly encrypted: boolean };
}

export interface VolumeScanProgress {
  files: number;
  /** Plaintext bytes read so far. */
  bytes: number;
  infected: number;
}

export interface VolumeScanSummary extends VolumeScanProgress {
  infected: number;
  threats: Array<{ path: string; signature: string }>;
  /** Files in cold storage left alone (a scan never recalls). */
  skippedOffline: number;
  errors: number;
  cancelled: boolean;
}

/** What the HSM protection lets the agent do with one folder (paths are folder-relative). */
export interface ColdStorageControl {
  status(): Promise<{ tier: string; files: number; stubs: number; localFiles: number; bytesLocal: number; bytesCold: number; pinned: string[] }>;
  /** Whether the path or a directory above it is pinned. */
  isPinned(relativePath: string, pinned: readonly string[]): boolean;
  pin(relativePath: string): Promise<{ pinned: boolean; recalled: boolean }>;
  unpin(relativePath: string): Promise<boolean>;
  recall(relativePath: string): Promise<{ recalled: boolean; size: number }>;
}

export interface ActiveProtection {
  readonly kind: ProtectionKind;
  readonly altitude: string;
  /** Periodic or triggered work (HSM migration runs, signature reloads, auto-lock). */
  readonly jobs: readonly JobSpec[];
  /** 'skip' for a raw file that is already in the stored form (an age file in an encrypted folder). */
  ingestDecision?(candidate: IngestCandidate): 'ingest' | 'skip';
  /**
   * Whether a file in cold storage (`candidate.offline` set) must be brought back and taken in: its content
   * is not in the form this protection keeps (crypt: plaintext migrated before the folder was encrypted).
   * Ingest recalls a stub only when a protection says so here (a scan never recalls). May throw, as
   * ingestDecision may, to leave the file for later.
   */
  takesInOffline?(candidate: IngestCandidate): boolean;
  /**
   * Whether a file the stack itself last wrote (ingest otherwise passes such a file over) must be taken in
   * all the same: its raw content is not in the form this protection keeps, because the write came from
   * below this protection (crypt: the HSM's recall of plaintext that went to the tier before the folder was
   * encrypted). Asked from the raw head, only of regular files that are not HSM stubs. What ingest then
   * writes must be in the kept form (it is asked again of that). May throw, as ingestDecision may, to leave
   * the file for later.
   */
  takesInOwnWrite?(candidate: IngestCandidate): boolean;
  /**
   * The stack refused to take the file (the scan filter's STATUS_VIRUS_INFECTED): deal with the raw
   * original (quarantine, delete, report) and say what was done. Return null if not yours.
   */
  onIngestRefused?(candidate: IngestCandidate, status: NTSTATUS): Promise<{ action: 'quarantined' | 'blocked' | 'threat-found'; detail: string } | null>;
  /** Scans every file of the volume (a removable medium when it is plugged in, a folder on request). */
  scanVolume?(options: { signal: AbortSignal; origin: 'media' | 'scan'; onProgress: (progress: VolumeScanProgress) => void }): Promise<VolumeScanSummary>;
  /** Protection paused (or resumed): the scan filter stops (or starts again) scanning opens and writes. */
  setPaused?(paused: boolean): void;
  /** The HSM's controls for this folder. */
  readonly coldStorage?: ColdStorageControl;
  /** For a protection with a key (crypt): whether it is unlocked now, and the ways to change that. */
  lockState?(): 'locked' | 'unlocked';
  unlock?(passphrase: string): Promise<void>;
  lock?(): Promise<void>;
  /** Unregisters the minifilter (draining its in-flight operations). Jobs are cancelled by the caller. */
  detach(): Promise<void>;
}

export interface ProtectionProvider<K extends ProtectionKind = ProtectionKind> {
  readonly kind: K;
  /** Where the filter's default altitude sits and why is in that filter's README. */
  readonly defaultAltitude: string;
  /** null when this build has the filter; else the reason, shown to the user as is. */
  readonly unavailableReason: string | null;
  /** Files written by other programs must go through the stack (scan checks them, crypt encrypts them). */
  readonly ingests: boolean;
  /**
   * Why raw content starting with `head` is not in the form this protection keeps on disk (crypt: anything
   * but an age file is 'waiting to be encrypted'), or null when it is. Such content waits to be taken in;
   * the HSM does not move it to cold storage meanwhile (its plaintext would sit in the tier).
   */
  notInKeptForm?(head: Uint8Array): string | null;
  attach(context: ProtectionContext, protection: Protection<K>): Promise<ActiveProtection>;
}

export type ProviderRegistry = { readonly [K in ProtectionKind]: ProtectionProvider<K> };

/** "\docs\a.txt" (a volume-relative NT name) → "docs/a.txt", each name as the host spells it. */
export function folderRelative(volumeRelative: string): string {
  return hostRelativeOf(volumeRelative);
}
