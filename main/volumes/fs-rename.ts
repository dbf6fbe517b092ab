// FileRenameInformation: moves an open stream to a new volume-relative name, with or without replacing
// an existing file. The target is validated like any name and looked up through the backend (so the
// local volume's confinement check applies to it too); the FCB table follows the move.

import {
  STATUS_ACCESS_DENIED, STATUS_DELETE_PENDING, STATUS_INVALID_PARAMETER, STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_INVALID, STATUS_SUCCESS, type NTSTATUS,
} from '../io/index.js';
import { checkParent } from './fs-create.js';
import { drive, wait, type MaybeAsync, type Operation } from './sync-or-async.js';
import { parseVolumePath, volumePathName } from './volume-path.js';
import type { Volume, VolumeFcb } from './volume-state.js';

export function renameStream(volume: Volume, fcb: VolumeFcb, newName: string, replaceIfExists: boolean): MaybeAsync<NTSTATUS> {
  const target = parseVolumePath(newName);
  if (fcb.path.length === 0 || target.components.length === 0) return STATUS_ACCESS_DENIED;
  if (target.mustBeDirectory && !fcb.directory) return STATUS_OBJECT_NAME_INVALID;
  return volume.exclusive(() => drive(rename(volume, fcb, target.components, replaceIfExists)));
}

function* rename(volume: Volume, fcb: VolumeFcb, to: string[], replaceIfExists: boolean): Operation<NTSTATUS> {
  if (fcb.deleted || fcb.deletePending) return STATUS_DELETE_PENDING;
  const toKey = volume.keyOf(volumePathName(to));
  const sameEntry = toKey === fcb.key;
  if (!sameEntry && toKey.startsWith(fcb.key + '\\')) return STATUS_INVALID_PARAMETER;
  // NT refuses to move a directory while anything below it is open: those opens would keep stale names.
  if (fcb.directory && hasOpenDescendant(volume, fcb)) return STATUS_ACCESS_DENIED;
  const parentStatus = yield* checkParent(volume, to);
  if (parentStatus !== STATUS_SUCCESS) return parentStatus;
  if (!sameEntry) {
    const existing = yield* wait(volume.backend.lookup(to));
    if (existing !== null) {
      if (!replaceIfExists) return STATUS_OBJECT_NAME_COLLISION;
      if (existing.directory) return STATUS_ACCESS_DENIED;
      if ((volume.fcbs.get(toKey)?.openCount ?? 0) > 0) return STATUS_ACCESS_DENIED;
    }
  }
  yield* wait(volume.backend.rename(fcb.stream, fcb.path, to));
  const replaced = volume.fcbs.get(toKey);
  if (replaced !== undefined && replaced !== fcb) {
    replaced.deleted = true;
    volume.fcbs.delete(toKey);
  }
  volume.fcbs.delete(fcb.key);
  fcb.moveTo(to);
  volume.fcbs.set(fcb.key, fcb);
  return STATUS_SUCCESS;
}

function hasOpenDescendant(volume: Volume, fcb: VolumeFcb): boolean {
  const prefix = fcb.key + '\\';
  for (const key of volume.fcbs.keys()) if (key.startsWith(prefix)) return true;
  return false;
}
