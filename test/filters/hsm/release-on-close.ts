// A test minifilter above the HSM that releases every file the moment its last handle is cleaned up
// (holding the cleanup until the release is done), so that a whole test suite runs against a folder
// where every closed file is a stub. It reads the FCB's open count, name and deletion state.

import {
  FLT_POSTOP_FINISHED_PROCESSING, FLT_POSTOP_MORE_PROCESSING_REQUIRED, FLTFL_POST_OPERATION_DRAINING, type FilterManager,
} from '../../../main/fltmgr/index.js';
import { IRP_MJ_CLEANUP } from '../../../main/io/index.js';
import type { HsmFilter } from '../../../filters/hsm/index.js';
import { releaseFile, type ReleaseOutcome } from '../../../filters/hsm/engine/release-file.js';

interface FcbView {
  openCount?: number;
  directory?: boolean;
  deleted?: boolean;
  deletePending?: boolean;
  pathName?: string;
}

export interface ReleaseLog {
  released: number;
  failures: string[];
}

export function registerReleaseOnClose(manager: FilterManager, hsm: HsmFilter, log: ReleaseLog): void {
  manager.registerFilter({
    name: 'ReleaseOnClose',
    altitude: '150000',
    operations: {
      [IRP_MJ_CLEANUP]: {
        post: (data, { volume }, _context, flags) => {
          const fcb = data.fileObject?.fsContext as FcbView | null;
          const hsmVolume = hsm.volumeFor(volume.name);
          if ((flags & FLTFL_POST_OPERATION_DRAINING) !== 0 || hsmVolume === undefined || fcb == null) return FLT_POSTOP_FINISHED_PROCESSING;
          if (fcb.directory || fcb.deleted || fcb.deletePending || fcb.openCount !== 0 || typeof fcb.pathName !== 'string') return FLT_POSTOP_FINISHED_PROCESSING;
          releaseFile(hsmVolume, { path: fcb.pathName })
            .then((outcome: ReleaseOutcome) => {
              if (outcome.result === 'released') log.released++;
            }, (error: unknown) => log.failures.push(`${fcb.pathName}: ${(error as Error).message}`))
            .finally(() => manager.completePendedPostOperation(data));
          return FLT_POSTOP_MORE_PROCESSING_REQUIRED;
        },
      },
    },
  }).startFiltering();
}
