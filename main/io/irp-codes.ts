// IRP function codes, stack-location control flags and the other numeric constants of the NT I/O model.
// Values follow wdm.h / ntifs.h so that traces read like Windows ones.

export const IRP_MJ_CREATE = 0x00;
export const IRP_MJ_CLOSE = 0x02;
export const IRP_MJ_READ = 0x03;
export const IRP_MJ_WRITE = 0x04;
export const IRP_MJ_QUERY_INFORMATION = 0x05;
export const IRP_MJ_SET_INFORMATION = 0x06;
export const IRP_MJ_FLUSH_BUFFERS = 0x09;
export const IRP_MJ_QUERY_VOLUME_INFORMATION = 0x0a;
export const IRP_MJ_DIRECTORY_CONTROL = 0x0c;
export const IRP_MJ_FILE_SYSTEM_CONTROL = 0x0d;
export const IRP_MJ_DEVICE_CONTROL = 0x0e;
export const IRP_MJ_INTERNAL_DEVICE_CONTROL = 0x0f;
export const IRP_MJ_SHUTDOWN = 0x10;
export const IRP_MJ_CLEANUP = 0x12;
export const IRP_MJ_MAXIMUM_FUNCTION = 0x1b;

const MAJOR_NAMES: Record<number, string> = {
  [IRP_MJ_CREATE]: 'IRP_MJ_CREATE',
  [IRP_MJ_CLOSE]: 'IRP_MJ_CLOSE',
  [IRP_MJ_READ]: 'IRP_MJ_READ',
  [IRP_MJ_WRITE]: 'IRP_MJ_WRITE',
  [IRP_MJ_QUERY_INFORMATION]: 'IRP_MJ_QUERY_INFORMATION',
  [IRP_MJ_SET_INFORMATION]: 'IRP_MJ_SET_INFORMATION',
  [IRP_MJ_FLUSH_BUFFERS]: 'IRP_MJ_FLUSH_BUFFERS',
  [IRP_MJ_QUERY_VOLUME_INFORMATION]: 'IRP_MJ_QUERY_VOLUME_INFORMATION',
  [IRP_MJ_DIRECTORY_CONTROL]: 'IRP_MJ_DIRECTORY_CONTROL',
  [IRP_MJ_FILE_SYSTEM_CONTROL]: 'IRP_MJ_FILE_SYSTEM_CONTROL',
  [IRP_MJ_DEVICE_CONTROL]: 'IRP_MJ_DEVICE_CONTROL',
  [IRP_MJ_INTERNAL_DEVICE_CONTROL]: 'IRP_MJ_INTERNAL_DEVICE_CONTROL',
  [IRP_MJ_SHUTDOWN]: 'IRP_MJ_SHUTDOWN',
  [IRP_MJ_CLEANUP]: 'IRP_MJ_CLEANUP',
};

export function majorFunctionName(major: number): string {
  return MAJOR_NAMES[major] ?? `IRP_MJ_0x${major.toString(16)}`;
}

// Minor functions of IRP_MJ_FILE_SYSTEM_CONTROL and IRP_MJ_DIRECTORY_CONTROL.
export const IRP_MN_USER_FS_REQUEST = 0x00;
export const IRP_MN_MOUNT_VOLUME = 0x01;
export const IRP_MN_VERIFY_VOLUME = 0x02;
export const IRP_MN_QUERY_DIRECTORY = 0x01;

// File-system control codes carried by IRP_MN_USER_FS_REQUEST.
export const FSCTL_DISMOUNT_VOLUME = 0x00090020;
// Strata's own, in the vendor range of function numbers (0x800 and up), METHOD_BUFFERED. Both are honoured
// only for kernel-mode requestors (a filter's own I/O); a user-mode caller gets STATUS_ACCESS_DENIED.
// FSCTL_STRATA_TRUST_COPY_SOURCE, CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 0xA01, METHOD_BUFFERED, FILE_ANY_ACCESS):
//   input = a host directory path (UTF-8); the volume accepts copies from host files below it from now on.
// FSCTL_STRATA_COPY_FROM_HOST_FILE, CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 0xA02, METHOD_BUFFERED, FILE_WRITE_DATA):
//   sent on an open file, input = ByteCount (uint64, little-endian) then the source's host path (UTF-8);
//   the file's content becomes the source's (exactly ByteCount bytes), copied by the host's kernel where it
//   can (as FSCTL_DUPLICATE_EXTENTS_TO_FILE or an offloaded write would); STATUS_INVALID_DEVICE_REQUEST
//   where the volume cannot (the caller then copies the bytes itself).
export const FSCTL_STRATA_TRUST_COPY_SOURCE = 0x00092804;
export const FSCTL_STRATA_COPY_FROM_HOST_FILE = 0x0009a808;

// Stack-location control flags.
export const SL_PENDING_RETURNED = 0x01;
export const SL_INVOKE_ON_CANCEL = 0x20;
export const SL_INVOKE_ON_SUCCESS = 0x40;
export const SL_INVOKE_ON_ERROR = 0x80;

// Device types and characteristics.
export const FILE_DEVICE_DISK = 0x07;
export const FILE_DEVICE_DISK_FILE_SYSTEM = 0x08;
export const FILE_DEVICE_FILE_SYSTEM = 0x09;
export const FILE_DEVICE_NETWORK_FILE_SYSTEM = 0x14;
export const FILE_REMOVABLE_MEDIA = 0x01;
export const DO_DEVICE_INITIALIZING = 0x80;
export const VPB_MOUNTED = 0x01;

// Create dispositions, options and the information values a create returns.
export const FILE_SUPERSEDE = 0;
export const FILE_OPEN = 1;
export const FILE_CREATE = 2;
export const FILE_OPEN_IF = 3;
export const FILE_OVERWRITE = 4;
export const FILE_OVERWRITE_IF = 5;
export const FILE_DIRECTORY_FILE = 0x01;
/** Non-cached I/O: every transfer bypasses the host's cache and must be sector-aligned (UNBUFFERED_ALIGNMENT). */
export const FILE_NO_INTERMEDIATE_BUFFERING = 0x00000008;
export const FILE_NON_DIRECTORY_FILE = 0x40;
export const FILE_DELETE_ON_CLOSE = 0x1000;
/** The caller wants the file's data where it is: an HSM filter serves reads from the cold tier, no recall. */
export const FILE_OPEN_NO_RECALL = 0x00400000;
export const FILE_SUPERSEDED = 0;
export const FILE_OPENED = 1;
export const FILE_CREATED = 2;
export const FILE_OVERWRITTEN = 3;
/** Information of a create completed with STATUS_REPARSE: the file object's name was replaced; open that one. */
export const IO_REPARSE = 0;
/** Reparses one create may go through before it fails (STATUS_REPARSE_POINT_NOT_RESOLVED), as NT's. */
export const MAXIMUM_REPARSES = 32;

// File attributes.
export const FILE_ATTRIBUTE_READONLY = 0x01;
export const FILE_ATTRIBUTE_DIRECTORY = 0x10;
export const FILE_ATTRIBUTE_ARCHIVE = 0x20;
export const FILE_ATTRIBUTE_NORMAL = 0x80;
/** A listing entry that is a link (a symbolic link on the host): walks do not descend into or act on it. */
export const FILE_ATTRIBUTE_REPARSE_POINT = 0x400;
export const FILE_ATTRIBUTE_OFFLINE = 0x1000;
export const FILE_ATTRIBUTE_ENCRYPTED = 0x4000;

// Requestor modes.
export const KernelMode = 0;
export const UserMode = 1;

/**
 * On a FILE_NO_INTERMEDIATE_BUFFERING open, the byte offset and the length of every read and write must be
 * multiples of this, else STATUS_INVALID_PARAMETER (as NT file systems require for non-cached I/O). 4096 is
 * the host's physical sector size and page size; a read reaching end of file may still return fewer bytes.
 */
export const UNBUFFERED_ALIGNMENT = 4096;

/** Write offset meaning "append at end of file" (FILE_WRITE_TO_END_OF_FILE). */
export const FILE_WRITE_TO_END_OF_FILE = -1;

/** File-information classes that Strata's volumes understand (values from ntifs.h). */
export enum FileInformationClass {
  FileDirectoryInformation = 1,
  FileBasicInformation = 4,
  FileStandardInformation = 5,
  FileNameInformation = 9,
  FileRenameInformation = 10,
  FileDispositionInformation = 13,
  FileAllInformation = 18,
  FileEndOfFileInformation = 20,
  FileNetworkOpenInformation = 34,
}
