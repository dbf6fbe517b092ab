// One protected folder opened with the HSM filter on it, for a CLI command (and the tests and bench
// that drive the same path): the store, the stub key, the folder's policy, a live filter stack over
// the folder, and the HSM's state on its volume once mounted (which recovers an earlier crash first).

import { realpath, stat } from 'node:fs/promises';
import { openFolderStack, type FolderStack } from '../../../agent/folder-stack.js';
import type { FilterManager } from '../../../fltmgr/index.js';
import { FILE_DIRECTORY_FILE, NT_SUCCESS, statusName, type IoManager } from '../../../io/index.js';
import { openStore, type Store } from '../../../store/index.js';
import { registerHsmFilter, type HsmFilter, type HsmVolume, type HsmEventSink } from '../../../../filters/hsm/index.js';
import { findFolder, type HsmFolder } from '../../../../filters/hsm/catalog/folder-policy.js';
import { loadOrCreateStubKey } from '../../../../filters/hsm/stub/stub-key.js';
import { CliError } from '../../cli-error.js';

export interface HsmSession {
  readonly store: Store;
  readonly stack: FolderStack;
  readonly hsm: HsmFilter;
  readonly volume: HsmVolume;
  readonly folder: HsmFolder;
  close(): Promise<void>;
}

export interface HsmSessionOptions {
  readonly dataDir: string;
  readonly folder: string;
  readonly verifier?: boolean;
  readonly events?: HsmEventSink;
  /** Registers other minifilters of the folder (crypt, scan) before the HSM. */
  readonly setup?: (manager: FilterManager, io: IoManager) => void | Promise<void>;
}

/** The folder's canonical absolute path; a clear error when it is not an existing folder. */
export async function resolveFolder(folder: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(folder);
  } catch {
    throw new CliError(`folder '${folder}' does not exist`);
  }
  if (!(await stat(real)).isDirectory()) throw new CliError(`'${folder}' is not a folder`);
  return real;
}

export async function openHsmSession(options: HsmSessionOptions): Promise<HsmSession> {
  const folderPath = await resolveFolder(options.folder);
  const store = openStore(options.dataDir);
  try {
    const folder = findFolder(store.db, folderPath);
    if (folder === null) throw new CliError(`folder ${folderPath} has no HSM policy yet; set one with: strata hsm policy ${folderPath} --tier <name>`);
    const stubKey = await loadOrCreateStubKey(options.dataDir);
    let hsm: HsmFilter | undefined;
    const stack = await openFolderStack(folderPath, {
      verifier: options.verifier ?? false,
      setup: async (manager, io) => {
        await options.setup?.(manager, io);
        hsm = registerHsmFilter(manager, { db: store.db, stubKey, events: options.events });
      },
    });
    hsm!.assign(stack.volumePath, folder);
    // The first open mounts the volume: the HSM attaches and recovers what an earlier run left.
    const root = await stack.api.createFile(stack.pathOf(''), { options: FILE_DIRECTORY_FILE });
    if (!NT_SUCCESS(root.status)) throw new CliError(`cannot open folder ${folderPath} (${statusName(root.status)})`);
    await stack.api.close(root.handle!);
    const volume = hsm!.volumeFor(stack.volumePath)!;
    await volume.ready;
    let closing: Promise<void> | null = null;
    return {
      store,
      stack,
      hsm: hsm!,
      volume,
      folder,
      close: () =>
        (closing ??= (async () => {
          await hsm!.idle();
          await stack.close();
          store.close();
        })()),
    };
  } catch (error) {
    store.close();
    throw error;
  }
}
