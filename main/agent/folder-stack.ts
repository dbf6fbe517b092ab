// A protected folder as a live filter stack: an I/O manager, the filter manager, the Strata file systems
// and the folder mounted as a local volume, with the caller's minifilters registered before the mount
// (so mount interception attaches them). The CLI builds one per command; the agent keeps them running.

import { resolve, sep } from 'node:path';
import { FilterManager } from '../fltmgr/index.js';
import {
  FILE_DIRECTORY_FILE, IoManager, NT_SUCCESS, NtFileApi, NtStatusError, STATUS_OBJECT_NAME_INVALID, statusName, type DeviceObject,
} from '../io/index.js';
import { createStorageDevice, registerVolumeFileSystems, removeStorageDevice, volumeComponentOf, type VolumeSource } from '../volumes/index.js';

export interface FolderStackOptions {
  /** Verifier on (tests) or off (production). Default: off. */
  verifier?: boolean;
  /** Registers the folder's minifilters; runs before the volume mounts. */
  setup?: (manager: FilterManager, io: IoManager) => void | Promise<void>;
  /** The medium is removable (media scans on mount). */
  removable?: boolean;
  /** Told of a minifilter's failure the stack survived with the verifier off (io-manager.ts). */
  onDriverFailure?: (error: Error) => void;
}

export interface FolderStack {
  readonly folder: string;
  readonly io: IoManager;
  readonly manager: FilterManager;
  readonly api: NtFileApi;
  /** The volume's NT name, e.g. "\Device\StrataFolder1". */
  readonly volumePath: string;
  readonly storage: DeviceObject<VolumeSource>;
  /** The NT path of a folder-relative path ("docs/a.txt" → "\Device\StrataFolder1\docs\a.txt"). */
  pathOf(relative: string): string;
  /** Dismounts the volume (tearing the filters down) and deletes its storage device. */
  close(): Promise<void>;
}

let nextVolume = 1;

export async function openFolderStack(folder: string, options: FolderStackOptions = {}): Promise<FolderStack> {
  const root = resolve(folder);
  const io = new IoManager({ verifier: options.verifier ?? false, onDriverFailure: options.onDriverFailure });
  const manager = new FilterManager(io);
  registerVolumeFileSystems(io);
  await options.setup?.(manager, io);
  const volumePath = `\\Device\\StrataFolder${nextVolume++}`;
  const storage = createStorageDevice(io, { name: volumePath, source: { kind: 'local', root }, removable: options.removable ?? false });
  return {
    folder: root,
    io,
    manager,
    api: new NtFileApi(io),
    volumePath,
    storage,
    pathOf: (relative) => `${volumePath}${toVolumeRelative(relative)}`,
    close: async () => {
      await removeStorageDevice(io, storage);
      io.assertNoLeakedIrps();
    },
  };
}

/** Mounts the folder's volume now (the first open does it): every minifilter registered attaches. Idempotent. */
export async function mountFolderStack(stack: FolderStack): Promise<void> {
  const root = await stack.api.createFile(stack.pathOf(''), { options: FILE_DIRECTORY_FILE });
  if (!NT_SUCCESS(root.status)) throw new NtStatusError(root.status, `cannot open ${stack.folder} through its filter stack (${statusName(root.status)})`);
  await stack.api.close(root.handle!);
}

/** "docs/a.txt" or "docs\a.txt" → "\docs\a.txt"; "" → "". Names are checked again by the volume. */
export function toVolumeRelative(relative: string): string {
  if (relative.includes('\0')) throw new NtStatusError(STATUS_OBJECT_NAME_INVALID, `path '${relative}' contains a NUL character`);
  const parts = relative.split(/[\\/]+/).filter((part) => part !== '' && part !== '.');
  if (sep === '\\' && /^[a-zA-Z]:/.test(relative)) throw new NtStatusError(STATUS_OBJECT_NAME_INVALID, `'${relative}' is absolute; give a path inside the folder`);
  // Characters NT forbids in a name stand for themselves mapped (volumes/host-names.ts); mapping is idempotent.
  return parts.length === 0 ? '' : `\\${parts.map(volumeComponentOf).join('\\')}`;
}
