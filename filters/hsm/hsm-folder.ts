// One protected folder opened with the HSM filter on it: the store, the stub key, the folder's policy, a
// live filter stack over the folder (built by the caller's stack opener, e.g. main/agent's
// openFolderStack), and the HSM's state on its volume once mounted — which first recovers whatever an
// earlier crash left. The CLI, the bench and the tests all open folders this way.

import { realpath, stat } from 'node:fs/promises';
import type { FilterManager } from '../../main/fltmgr/index.js';
import { FILE_DIRECTORY_FILE, NT_SUCCESS, statusName, type IoManager, type NtFileApi } from '../../main/io/index.js';
import { openStore, type Store } from '../../main/store/index.js';
import { findFolder, type HsmFolder } from './catalog/folder-policy.js';
import { registerHsmFilter, type HsmFilter } from './index.js';
import type { ContentGate } from './policy/eligibility.js';
import type { HostNameDecoder } from './policy/host-spelling.js';
import { loadOrCreateStubKey } from './stub/stub-key.js';
import type { HsmEventSink } from './volume/hsm-events.js';
import type { HsmVolume } from './volume/hsm-volume.js';

/** What the HSM needs of a folder's filter stack. */
export interface HsmStack {
  readonly io: IoManager;
  readonly api: NtFileApi;
  readonly volumePath: string;
  pathOf(relative: string): string;
  close(): Promise<void>;
}

export type StackOpener = (
  folder: string,
  options: { verifier?: boolean; setup: (manager: FilterManager, io: IoManager) => Promise<void> },
) => Promise<HsmStack>;

export interface HsmFolderSession {
  readonly store: Store;
  readonly stack: HsmStack;
  readonly hsm: HsmFilter;
  readonly volume: HsmVolume;
  readonly folder: HsmFolder;
  /** Waits for background work, dismounts, closes the store. Idempotent. */
  close(): Promise<void>;
}

export interface HsmFolderOptions {
  readonly dataDir: string;
  readonly folder: string;
  readonly openStack: StackOpener;
  readonly verifier?: boolean;
  readonly events?: HsmEventSink;
  /** false: recalls stream instead of asking the volume for a kernel copy (see HsmFilterOptions). */
  readonly hostCopies?: boolean;
  /** Content that must not go to the tier yet (see ContentGate in policy/eligibility.ts). */
  readonly contentGate?: ContentGate;
  /** The volume's names as the host spells them, for the policy's globs (see HsmFilterOptions). */
  readonly hostNameOf?: HostNameDecoder;
  /** Registers the folder's other minifilters (crypt, scan) before the HSM. */
  readonly setup?: (manager: FilterManager, io: IoManager) => void | Promise<void>;
}

/** A problem with what the caller asked for (no such folder, no policy): the message says what to do. */
export class HsmFolderError extends Error {
  override readonly name = 'HsmFolderError';
}

/** The folder's canonical absolute path; a clear error when it is not an existing folder. */
export async function resolveFolder(folder: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(folder);
  } catch {
    throw new HsmFolderError(`folder '${folder}' does not exist`);
  }
  if (!(await stat(real)).isDirectory()) throw new HsmFolderError(`'${folder}' is not a folder`);
  return real;
}

export async function openHsmFolder(options: HsmFolderOptions): Promise<HsmFolderSession> {
  const folderPath = await resolveFolder(options.folder);
  const store = openStore(options.dataDir);
  let stack: HsmStack | null = null;
  try {
    const folder = findFolder(store.db, folderPath);
    if (folder === null) throw new HsmFolderError(`folder ${folderPath} has no HSM policy yet; set one with: strata hsm policy ${folderPath} --tier <name>`);
    const stubKey = await loadOrCreateStubKey(options.dataDir);
    let hsm: HsmFilter | undefined;
    stack = await options.openStack(folderPath, {
      verifier: options.verifier ?? false,
      setup: async (manager, io) => {
        await options.setup?.(manager, io);
        hsm = registerHsmFilter(manager, { db: store.db, stubKey, events: options.events, hostCopies: options.hostCopies, contentGate: options.contentGate, hostNameOf: options.hostNameOf });
      },
    });
    hsm!.assign(stack.volumePath, folder);
    // The first open mounts the volume: the HSM attaches and recovers what an earlier run left.
    const root = await stack.api.createFile(stack.pathOf(''), { options: FILE_DIRECTORY_FILE });
    if (!NT_SUCCESS(root.status)) throw new HsmFolderError(`cannot open folder ${folderPath} (${statusName(root.status)})`);
    await stack.api.close(root.handle!);
    const volume = hsm!.volumeFor(stack.volumePath)!;
    await volume.ready;
    const opened = stack;
    let closing: Promise<void> | null = null;
    return {
      store,
      stack: opened,
      hsm: hsm!,
      volume,
      folder,
      close: () =>
        (closing ??= (async () => {
          await hsm!.idle();
          await opened.close();
          store.close();
        })()),
    };
  } catch (error) {
    await stack?.close().catch(() => {});
    store.close();
    throw error;
  }
}
