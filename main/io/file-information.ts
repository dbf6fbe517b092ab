// The information structures exchanged by query/set-information and query-directory IRPs.
// Times are milliseconds since the Unix epoch (JS time), sizes are byte counts.

export interface FileBasicInformation {
  creationTime: number;
  lastAccessTime: number;
  lastWriteTime: number;
  changeTime: number;
  fileAttributes: number;
}

export interface FileStandardInformation {
  allocationSize: number;
  endOfFile: number;
  numberOfLinks: number;
  deletePending: boolean;
  directory: boolean;
}

export interface FileNetworkOpenInformation extends FileBasicInformation {
  allocationSize: number;
  endOfFile: number;
}

export interface FileNameInformation {
  fileName: string;
}

export interface FileAllInformation {
  basic: FileBasicInformation;
  standard: FileStandardInformation;
  name: FileNameInformation;
}

/** One entry of a FileDirectoryInformation listing. */
export interface FileDirectoryInformation extends FileNetworkOpenInformation {
  fileName: string;
}

export interface FileRenameInformation {
  replaceIfExists: boolean;
  /** The new name, volume-relative (starts with a backslash). */
  fileName: string;
}

export interface FileDispositionInformation {
  deleteFile: boolean;
}

export interface FileEndOfFileInformation {
  endOfFile: number;
}

/** Times to set; a field left undefined (or 0, as in NT) keeps its current value. */
export type FileBasicInformationUpdate = Partial<FileBasicInformation>;
