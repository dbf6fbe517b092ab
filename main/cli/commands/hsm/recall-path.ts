// Brings one file back through the stack (open, FSCTL_STRATA_HSM_RECALL, close): the same filter path
// a read takes, so the CLI recall and a transparent one cannot differ. Failures come back with the
// sentence the filter gave (tier offline, stub tampered with, cold copy damaged).

import {
  FILE_OPEN, FileInformationClass, NT_SUCCESS, STATUS_OBJECT_NAME_NOT_FOUND, STATUS_OBJECT_PATH_NOT_FOUND, statusName,
  type FileStandardInformation,
} from '../../../io/index.js';
import { FSCTL_STRATA_HSM_RECALL, type HsmEvent } from '../../../../filters/hsm/index.js';
import { CliError } from '../../cli-error.js';
import { displayPath } from './cli-paths.js';
import type { HsmSession } from './hsm-session.js';

export interface RecallResult {
  readonly path: string;
  /** False when the file was local already. */
  readonly recalled: boolean;
  readonly directory: boolean;
  readonly size: number;
}

export async function recallPath(session: HsmSession, events: readonly HsmEvent[], path: string): Promise<RecallResult> {
  const { stack, volume } = session;
  const wasStub = volume.catalog.get(path) !== null;
  const opened = await stack.api.createFile(`${stack.volumePath}${path}`, { disposition: FILE_OPEN });
  if (opened.status === STATUS_OBJECT_NAME_NOT_FOUND || opened.status === STATUS_OBJECT_PATH_NOT_FOUND) {
    throw new CliError(`there is no '${displayPath(path)}' in ${session.folder.path}`);
  }
  if (!NT_SUCCESS(opened.status)) throw new CliError(`cannot open '${displayPath(path)}' (${statusName(opened.status)})`);
  const handle = opened.handle!;
  try {
    const standard = (await stack.api.queryInformation(handle, FileInformationClass.FileStandardInformation)).info as FileStandardInformation | null;
    if (standard?.directory) return { path, recalled: false, directory: true, size: 0 };
    const result = await stack.api.fsControl(handle, FSCTL_STRATA_HSM_RECALL, null, 0);
    if (!NT_SUCCESS(result.status)) {
      const told = [...events].reverse().find((event) => (event.kind === 'recall-failed' || event.kind === 'stub-invalid') && event.path === path);
      throw new CliError(`cannot recall '${displayPath(path)}': ${told !== undefined && 'message' in told ? told.message : statusName(result.status)} (${statusName(result.status)})`);
    }
    return { path, recalled: wasStub, directory: false, size: standard?.endOfFile ?? 0 };
  } finally {
    await stack.api.close(handle);
  }
}
