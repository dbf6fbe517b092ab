// Names of the files the filter works on: the name an open asked for (joined with its related
// directory for a relative open), and the current name of an open file (after renames), which is what
// the filter's own I/O opens.

import { FileHandle, FileInformationClass, NT_SUCCESS, type FileNameInformation, type FileObject } from '../../../main/io/index.js';
import type { FilterManager } from '../../../main/fltmgr/index.js';

/** The volume-relative name an IRP_MJ_CREATE asks for ("\dir\file"). */
export function requestedName(fileObject: FileObject): string {
  const own = fileObject.fileName;
  const related = fileObject.relatedFileObject;
  if (related === null) return own.startsWith('\\') ? own : `\\${own}`;
  const base = requestedName(related).replace(/\\+$/, '');
  return `${base}\\${own.replace(/^\\+/, '')}`;
}

/** The current volume-relative name of an open file, asked of the file system (renames included). */
export async function currentName(manager: FilterManager, fileObject: FileObject): Promise<string> {
  const result = await manager.api.queryInformation(new FileHandle(fileObject), FileInformationClass.FileNameInformation);
  if (NT_SUCCESS(result.status) && result.info !== null) return (result.info as FileNameInformation).fileName;
  return requestedName(fileObject);
}
