// The HSM's per-folder controls for the API and the GUI: totals (files, stubs, bytes local and cold),
// pin and unpin, and recall. Recall goes through the folder's stack (open, FSCTL_STRATA_HSM_RECALL,
// close) — the path a read takes — so an explicit recall and a transparent one cannot differ. Each acts on
// a file by its own name only: a link, pipe, socket or device is refused, saying which (named-file-open.ts).

import {
  FILE_OPEN_NO_RECALL, FileInformationClass, NT_SUCCESS, STATUS_OBJECT_NAME_NOT_FOUND, STATUS_OBJECT_PATH_NOT_FOUND, statusName,
  type FileStandardInformation, type NTSTATUS,
} from '../../io/index.js';
import { ApiRequestError } from '../../api/index.js';
import { FSCTL_STRATA_HSM_RECALL, type HsmEvent, type HsmVolume } from '../../../filters/hsm/index.js';
import { folderStatus } from '../../../filters/hsm/engine/folder-status.js';
import { toVolumeRelative, type FolderStack } from '../folder-stack.js';
import { openNamedFile } from './named-file-open.js';
import { folderRelative, type ColdStorageControl } from './provider.js';

export interface ColdStorageDeps {
  readonly stack: FolderStack;
  readonly tier: string;
  readonly volume: () => Promise<HsmVolume>;
  /** The HSM's latest failure for a path (what the filter said when a recall failed). */
  readonly lastFailure: (volumePath: string) => Extract<HsmEvent, { message: string }> | undefined;
}

export function coldStorageControl(deps: ColdStorageDeps): ColdStorageControl {
  const { stack } = deps;
  const recall = async (relativePath: string): Promise<{ recalled: boolean; size: number; directory: boolean }> => {
    const path = toVolumeRelative(relativePath);
    const volume = await deps.volume();
    const wasStub = volume.catalog.get(path) !== null;
    const opened = await openNamedFile(stack, relativePath);
    if (opened.status === STATUS_OBJECT_NAME_NOT_FOUND || opened.status === STATUS_OBJECT_PATH_NOT_FOUND) {
      throw new ApiRequestError('not-found', `there is no ${relativePath} in the folder`, '$.path');
    }
    if (!NT_SUCCESS(opened.status)) throw failure(relativePath, 'open', opened.status);
    const handle = opened.handle!;
    try {
      const standard = (await stack.api.queryInformation(handle, FileInformationClass.FileStandardInformation)).info as FileStandardInformation | null;
      if (standard?.directory === true) return { recalled: false, size: 0, directory: true };
      const result = await stack.api.fsControl(handle, FSCTL_STRATA_HSM_RECALL, null, 0);
      if (!NT_SUCCESS(result.status)) {
        const told = deps.lastFailure(path);
        throw failure(relativePath, 'bring back', result.status, told?.message);
      }
      return { recalled: wasStub, size: standard?.endOfFile ?? 0, directory: false };
    } finally {
      await stack.api.close(handle);
    }
  };
  return {
    async status() {
      const status = await folderStatus(await deps.volume());
      return {
        tier: deps.tier,
        files: status.files,
        stubs: status.stubs,
        localFiles: status.localFiles,
        bytesLocal: status.bytesLocal,
        bytesCold: status.bytesCold,
        pinned: status.pinned.map(folderRelative),
      };
    },
    isPinned: (relativePath, pinned) => pinned.some((p) => relativePath === p || relativePath.startsWith(`${p}/`)),
    async pin(relativePath) {
      const brought = await recall(relativePath);
      const volume = await deps.volume();
      volume.pins.pin(toVolumeRelative(relativePath));
      return { pinned: true, recalled: brought.recalled };
    },
    async unpin(relativePath) {
      const volume = await deps.volume();
      const path = toVolumeRelative(relativePath);
      // A pin is removed by its name, acting on no file: one a link got before links were refused can go.
      if (volume.pins.list().includes(path)) return volume.pins.unpin(path);
      // Otherwise there is nothing to remove, but a link or special file is told that it is one (a pin
      // could never have held it); a name that is gone is no error.
      const opened = await openNamedFile(stack, relativePath, FILE_OPEN_NO_RECALL);
      if (opened.handle !== null) await stack.api.close(opened.handle);
      return false;
    },
    async recall(relativePath) {
      const result = await recall(relativePath);
      if (result.directory) throw new ApiRequestError('invalid-request', `${relativePath} is a folder; bring back the files in it one by one`, '$.path');
      return { recalled: result.recalled, size: result.size };
    },
  };
}

function failure(relativePath: string, what: string, status: NTSTATUS, told?: string): ApiRequestError {
  return new ApiRequestError('conflict', `cannot ${what} ${relativePath}: ${told ?? statusName(status)} (${statusName(status)})`, '$.path');
}
