// The implementation of every API operation, shared by the HTTP server and the in-process client: the
// request is checked against its schema, the handler runs, and its answer is checked too, so both
// transports behave exactly alike.

import {
  ApiRequestError, bindOperations, invalidRequest, operations, type AgentStatus, type Folder, type FolderRuntime,
  type OperationName, type ParsedRequestOf, type ProtectionKind, type ResponseOf, type StrataApi,
} from '../api/index.js';
import type { AgentCore } from './agent-core.js';
import { createFolderVault } from './protections/crypt.js';
import { importVerified } from './policy/policy-signing.js';
import type { FolderRecord } from './policy/policy-store.js';
import { deleteQuarantined, itemOf, restoreQuarantined, withQuarantine } from './quarantine/quarantine-service.js';
import type { FolderScans } from './runtime/folder-scans.js';
import type { LiveFolder } from './runtime/live-folder.js';
import type { ProtectionPause } from './runtime/protection-pause.js';

/** What only a running agent knows: folders' live state and the agent's status. */
export interface RuntimeView {
  folderRuntime(id: string): FolderRuntime | null;
  status(): AgentStatus;
  runJobs(folderId: string, kind: ProtectionKind): Promise<number>;
  unlock(folderId: string, passphrase: string): Promise<void>;
  lock(folderId: string): Promise<void>;
  /** The folder's protections are attached again (after its vault was created). */
  refresh(folderId: string): Promise<void>;
  /** Resolves once every policy change made so far is live. */
  whenApplied(): Promise<void>;
  /** The running folder with this id, or null. */
  liveFolder(folderId: string): LiveFolder | null;
  /** The running folder with this id; 'not-found' when it is not running here. */
  live(folderId: string): LiveFolder;
  readonly scans: FolderScans;
  readonly pause: ProtectionPause;
}

export type Handlers = { [N in OperationName]: (request: ParsedRequestOf<N>) => ResponseOf<N> | Promise<ResponseOf<N>> };

export function createHandlers(core: AgentCore, runtime: RuntimeView | null): Handlers {
  const { policy, log } = core;
  const view = (folder: FolderRecord): Folder => ({ ...folder, runtime: runtime?.folderRuntime(folder.id) ?? null });
  /** A change, then its answer once the running agent has applied it (so live state is current). */
  const applied = async <T>(change: () => T): Promise<T> => {
    const result = change();
    await runtime?.whenApplied();
    return result;
  };
  const liveOf = (folder: string): LiveFolder => needsAgent(runtime, core).live(policy.folder(folder).id);
  return {
    status: () => needsAgent(runtime, core).status(),
    runJobs: async ({ folder, protection }) => ({ ran: await needsAgent(runtime, core).runJobs(policy.folder(folder).id, protection) }),
    listFolders: () => ({ folders: policy.store.listFolders().map(view) }),
    getFolder: ({ folder }) => view(policy.folder(folder)),
    addFolder: async (request) => view(await applied(() => policy.addFolder(request))),
    updateFolder: async (request) => view(await applied(() => policy.updateFolder(request))),
    removeFolder: async ({ folder }) => ({ ...(await applied(() => policy.removeFolder(folder))), runtime: null }),
    createVault: async ({ folder, passphrase }) => {
      const record = policy.folder(folder);
      await createFolderVault(core.store, record, passphrase);
      log.record({ folderId: record.id, folderName: record.name, action: 'folder-changed', result: 'ok', detail: 'vault created' });
      await runtime?.refresh(record.id);
      return view(record);
    },
    unlockFolder: async ({ folder, passphrase }) => {
      const record = policy.folder(folder);
      await needsAgent(runtime, core).unlock(record.id, passphrase);
      return view(record);
    },
    lockFolder: async ({ folder }) => {
      const record = policy.folder(folder);
      await needsAgent(runtime, core).lock(record.id);
      return view(record);
    },
    setTier: (tier) => applied(() => policy.setTier(tier)),
    removeTier: ({ name }) => applied(() => policy.removeTier(name)),
    setSignatureSet: (set) => applied(() => policy.setSignatureSet(set)),
    removeSignatureSet: ({ name }) => applied(() => policy.removeSignatureSet(name)),
    setMediaPolicy: (media) => applied(() => policy.setMedia(media)),
    queryEvents: (query) => {
      // A current folder is matched by id; a removed one can still be found by its id or name.
      const folder = query.folder === undefined ? undefined : (policy.store.findFolder(query.folder)?.id ?? query.folder);
      return log.query({ ...query, folder });
    },
    pruneEvents: ({ olderThan }) => ({ deleted: log.prune(new Date(olderThan)) }),
    listQuarantine: () => withQuarantine(core, (quarantine) => {
      const folders = policy.store.listFolders();
      return { items: quarantine.list().reverse().map((entry) => itemOf(entry, folders)) };
    }),
    restoreQuarantined: (request) => restoreQuarantined(core, runtime, request),
    deleteQuarantined: ({ id }) => deleteQuarantined(core, id),
    startScan: ({ folder }) => {
      const agent = needsAgent(runtime, core);
      return agent.scans.start(agent.live(policy.folder(folder).id));
    },
    cancelScan: ({ id }) => needsAgent(runtime, core).scans.cancel(id),
    listScans: () => ({ scans: needsAgent(runtime, core).scans.list() }),
    listFiles: async ({ folder, path }) => {
      const live = liveOf(folder);
      const inside = insidePath(path);
      return { folderId: live.id, path: inside, entries: await live.listFiles(inside) };
    },
    coldStorageStatus: async ({ folder }) => {
      const live = liveOf(folder);
      return { folderId: live.id, ...(await live.coldStorage().status()) };
    },
    pinFile: async ({ folder, path }) => {
      const live = liveOf(folder);
      const inside = insidePath(path);
      const result = await live.coldStorage().pin(inside);
      log.record({ folderId: live.id, folderName: live.record.name, path: inside, action: 'pinned', result: 'ok', detail: `kept local${result.recalled ? '; brought back from cold storage first' : ''}` });
      return { path: inside, ...result };
    },
    unpinFile: async ({ folder, path }) => {
      const live = liveOf(folder);
      const inside = insidePath(path);
      const removed = await live.coldStorage().unpin(inside);
      if (removed) log.record({ folderId: live.id, folderName: live.record.name, path: inside, action: 'unpinned', result: 'ok', detail: 'later migrations may move it again' });
      return { path: inside, pinned: false, recalled: false };
    },
    recallFile: async ({ folder, path }) => {
      const inside = insidePath(path);
      return { path: inside, ...(await liveOf(folder).coldStorage().recall(inside)) };
    },
    pauseProtection: ({ minutes }) => needsAgent(runtime, core).pause.pause(minutes * 60_000),
    resumeProtection: () => needsAgent(runtime, core).pause.resume(),
    exportPolicy: () => policy.exportDocument(),
    importPolicy: (request) => importVerified(request, () => applied(() => policy.importDocument(request))),
  };
}

/** "docs//a.txt", "./docs/a.txt", "docs\\a.txt" → "docs/a.txt"; "" is the folder itself. */
function insidePath(path: string): string {
  return path.split(/[\\/]+/).filter((part) => part !== '' && part !== '.').join('/');
}

function needsAgent(runtime: RuntimeView | null, core: AgentCore): RuntimeView {
  if (runtime === null) throw new ApiRequestError('agent-unreachable', `no Strata agent is running on ${core.dataDir}; start one with 'strata agent'`);
  return runtime;
}

/** Validates `body` for operation `name`, runs it, and validates the answer. */
export async function dispatch<N extends OperationName>(handlers: Handlers, name: N, body: unknown): Promise<ResponseOf<N>> {
  const request = operations[name].request.safeParse(body ?? {});
  if (!request.success) throw invalidRequest(`the ${name} request`, request.error);
  const handler = handlers[name] as (request: unknown) => unknown;
  const answer = operations[name].response.safeParse(await handler(request.data));
  // An answer that breaks the contract is Strata's bug, never the caller's.
  if (!answer.success) throw new ApiRequestError('internal', `the agent built an invalid ${name} answer: ${answer.error.issues[0]?.message ?? ''} at ${answer.error.issues[0]?.path.join('.') ?? ''}`);
  return answer.data as ResponseOf<N>;
}

/** A client that calls the handlers directly (no agent process, or the agent's own GUI bridge). */
export function createInProcessClient(handlers: Handlers): StrataApi {
  return bindOperations((name, request) => dispatch(handlers, name, request));
}
