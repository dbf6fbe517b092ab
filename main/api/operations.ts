// The one table of API operations: name → request schema, response schema. The agent serves each as
// POST /api/<name>; clients (HTTP, in-process, the GUI's bridge) are typed from this table.

import { z } from 'zod';
import { EventPage, EventQuery, PruneEventsRequest, PruneEventsResult } from './event-schemas.js';
import {
  AddFolderRequest, CreateVaultRequest, Folder, FolderList, FolderRef, FolderRuntime, UnlockFolderRequest, UpdateFolderRequest,
} from './folder-schemas.js';
import { AbsolutePath, RefName, Timestamp } from './names.js';
import { ImportPolicyRequest, ImportPolicyResult, PolicyDocument } from './policy-document.js';
import { ProtectionKind } from './policy-schemas.js';
import { MediaPolicy, SignatureSet, Tier } from './shared-policy-schemas.js';
import { ColdStorageStatus, FileRef, FolderListing, ListFilesRequest, PinResult, RecallResult } from './folder-files-schemas.js';
import { PauseRequest, PauseState } from './pause-schemas.js';
import { QuarantineItem, QuarantineList, QuarantineRef, RestoreQuarantinedRequest, RestoreQuarantinedResult } from './quarantine-schemas.js';
import { ScanList, ScanRef, ScanReport, StartScanRequest } from './scan-schemas.js';
import { JobProgress } from './stream-schemas.js';

const Empty = z.strictObject({});
const NameRef = z.strictObject({ name: RefName });

export const AgentStatus = z.strictObject({
  version: z.string(),
  pid: z.int(),
  dataDir: z.string(),
  startedAt: Timestamp,
  folders: z.array(z.strictObject({ id: z.string(), name: z.string(), runtime: FolderRuntime })),
  jobs: z.array(JobProgress),
  mediaRoots: z.array(z.string()),
  media: z.array(z.strictObject({ path: AbsolutePath, state: z.enum(['mounted', 'scanning', 'scanned', 'failed']), message: z.string().nullable() })),
  /** Whether on-access protection is paused, and until when. */
  pause: PauseState,
});
export type AgentStatus = z.infer<typeof AgentStatus>;

function operation<Req extends z.ZodType, Res extends z.ZodType>(summary: string, request: Req, response: Res) {
  return { summary, request, response };
}

export const operations = {
  status: operation('the running agent: folders, jobs, media', Empty, AgentStatus),
  listFolders: operation('every protected folder', Empty, FolderList),
  getFolder: operation('one protected folder', FolderRef, Folder),
  addFolder: operation('protect a folder', AddFolderRequest, Folder),
  updateFolder: operation("rename a folder or replace its policy", UpdateFolderRequest, Folder),
  removeFolder: operation('stop protecting a folder (its files stay as they are)', FolderRef, Folder),
  createVault: operation("create an encrypted folder's vault (its key, wrapped by the passphrase)", CreateVaultRequest, Folder),
  unlockFolder: operation("unlock an encrypted folder's vault: the agent holds the key in memory", UnlockFolderRequest, Folder),
  lockFolder: operation("lock an encrypted folder's vault: the key is wiped from memory", FolderRef, Folder),
  setTier: operation('define or move a cold tier', Tier, Tier),
  removeTier: operation('remove an unused cold tier', NameRef, Tier),
  setSignatureSet: operation('define or change a signature set', SignatureSet, SignatureSet),
  removeSignatureSet: operation('remove an unused signature set', NameRef, SignatureSet),
  setMediaPolicy: operation('what happens when removable media are plugged in', MediaPolicy, MediaPolicy),
  queryEvents: operation('page through the event log', EventQuery, EventPage),
  pruneEvents: operation('delete events older than a time', PruneEventsRequest, PruneEventsResult),
  runJobs: operation(
    "run a folder's scheduled work now (hsm: a migration; scan: a signature reload)",
    z.strictObject({ folder: FolderRef.shape.folder, protection: ProtectionKind }),
    z.strictObject({ ran: z.int().min(0) }),
  ),
  listQuarantine: operation('what the scan filter put in quarantine', Empty, QuarantineList),
  restoreQuarantined: operation(
    'put a quarantined file back where it was (through its folder, allowed there from now on); never over an existing file unless told',
    RestoreQuarantinedRequest,
    RestoreQuarantinedResult,
  ),
  deleteQuarantined: operation('delete a quarantined file for good', QuarantineRef, QuarantineItem),
  startScan: operation("scan every file of a folder now, through its stack (answers at once; follow the job)", StartScanRequest, ScanReport),
  cancelScan: operation('stop a running folder scan', ScanRef, ScanReport),
  listScans: operation('folder scans running and recently ended, newest first', Empty, ScanList),
  listFiles: operation("one directory of a folder through Strata: plaintext sizes, files in cold storage flagged", ListFilesRequest, FolderListing),
  coldStorageStatus: operation("a folder's files and bytes kept local and in its cold tier", FolderRef, ColdStorageStatus),
  pinFile: operation('keep a file (or everything below a directory) local; brings it back first if it was moved', FileRef, PinResult),
  unpinFile: operation('let later migrations move a pinned file again', FileRef, PinResult),
  recallFile: operation('bring a file back from cold storage now', FileRef, RecallResult),
  pauseProtection: operation('pause on-access virus scanning for a while; it resumes by itself', PauseRequest, PauseState),
  resumeProtection: operation('resume paused protection now', Empty, PauseState),
  exportPolicy: operation('the whole policy as a document', Empty, PolicyDocument),
  importPolicy: operation('validate, diff and apply a policy document', ImportPolicyRequest, ImportPolicyResult),
} as const;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type RequestOf<N extends OperationName> = z.input<Operations[N]['request']>;
export type ParsedRequestOf<N extends OperationName> = z.output<Operations[N]['request']>;
export type ResponseOf<N extends OperationName> = z.output<Operations[N]['response']>;

/** What every client offers: one async method per operation. */
export type StrataApi = { [N in OperationName]: (request: RequestOf<N>) => Promise<ResponseOf<N>> };

export const OPERATION_NAMES = Object.keys(operations) as OperationName[];

export function isOperationName(name: string): name is OperationName {
  return Object.hasOwn(operations, name);
}
