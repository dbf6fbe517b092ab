// The upper edge: the equivalents of NtCreateFile, NtReadFile, NtWriteFile and friends. Each call builds
// an IRP for the first stack location, routes it with IoGetRelatedDeviceObject and resolves when it
// completes. Everything above the I/O manager (filters' own I/O, the agent, the CLI) does file I/O here.

import { FileObject, type DeviceObject } from './device.js';
import { IoGetRelatedDeviceObject } from './device-stack.js';
import { dereferenceFileObject, referenceFileObject, whenFileObjectIdle } from './file-object-references.js';
import type { FileBasicInformation, FileDirectoryInformation, FileStandardInformation } from './file-information.js';
import { IoAllocateIrp } from './irp-alloc.js';
import {
  FILE_DIRECTORY_FILE, FILE_OPEN, FileInformationClass, IRP_MJ_CLEANUP, IRP_MJ_CLOSE, IRP_MJ_CREATE, IRP_MJ_DEVICE_CONTROL,
  IRP_MJ_DIRECTORY_CONTROL, IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MJ_FLUSH_BUFFERS, IRP_MJ_QUERY_INFORMATION,
  IRP_MJ_READ, IRP_MJ_SET_INFORMATION, IRP_MJ_WRITE, IRP_MN_QUERY_DIRECTORY, IRP_MN_USER_FS_REQUEST, MAXIMUM_REPARSES, UserMode,
} from './irp-codes.js';
import type { CreateParameters, Irp, IoParameters } from './irp.js';
import type { IoManager } from './io-manager.js';
import { mountVolume } from './mount.js';
import {
  CREATE_OPENED, NT_SUCCESS, STATUS_INVALID_HANDLE, STATUS_NO_SUCH_DEVICE, STATUS_REPARSE, STATUS_REPARSE_POINT_NOT_RESOLVED, STATUS_SUCCESS, type NTSTATUS,
} from './ntstatus.js';
import { parseObjectName } from './path-name.js';
import { checkControl, checkRead, checkWrite, type Refusal } from './request-checks.js';
import { settleRenameTarget } from './rename-target.js';
import { sendRequest, type RequestResult } from './send-request.js';

export interface IoResult {
  status: NTSTATUS;
  information: number;
  /** Why the request was refused before an IRP was built, when it was (a bad name, length, offset or buffer). */
  reason?: string;
}
export interface ReadResult extends IoResult {
  data: Uint8Array;
}
export interface InfoResult<T> extends IoResult {
  info: T | null;
}
export interface CreateResult extends IoResult {
  handle: FileHandle | null;
}

export interface CreateOptions extends Partial<CreateParameters> {
  /** Strata's own I/O: filters can recognise and skip it (for example, no rescan). */
  internal?: boolean;
  /** For the filter manager: the file's requests enter the minifilter stack below this instance. */
  startBelow?: unknown;
}

/** An open file: the file object plus the device its requests go to. */
export class FileHandle {
  /**
   * Set as soon as close() begins, before any IRP is sent: like NtClose, which takes the handle out of the
   * handle table first, so a second close or a new request on the handle gets STATUS_INVALID_HANDLE.
   */
  closed = false;
  constructor(readonly fileObject: FileObject) {}
}

/**
 * The one IRP_MJ_CLEANUP and the one close of a file object (NT sends exactly one of each per file
 * object). Set synchronously when the first caller starts them; later callers, on any handle of the same
 * file object, wait for them and get STATUS_INVALID_HANDLE.
 */
interface Teardown {
  cleanup: Promise<IoResult> | null;
  close: Promise<IoResult> | null;
}

const teardowns = new WeakMap<FileObject, Teardown>();

function teardownOf(fileObject: FileObject): Teardown {
  let found = teardowns.get(fileObject);
  if (found === undefined) {
    found = { cleanup: null, close: null };
    teardowns.set(fileObject, found);
  }
  return found;
}

const succeeded = (): IoResult => ({ status: STATUS_SUCCESS, information: 0 });
const invalidHandle = (): IoResult => ({ status: STATUS_INVALID_HANDLE, information: 0 });
const refused = ({ status, reason }: Refusal): ReadResult => ({ status, information: 0, data: new Uint8Array(0), reason });

const DEFAULT_CREATE: CreateParameters = { desiredAccess: 0, disposition: FILE_OPEN, options: 0, fileAttributes: 0, shareAccess: 7 };

export class NtFileApi {
  constructor(readonly io: IoManager) {}

  /** Opens or creates `path` ("\Device\Name\dir\file"); mounts the volume first if needed. */
  async createFile(path: string, options: CreateOptions = {}): Promise<CreateResult> {
    const parsed = parseObjectName(this.io, path);
    if ('status' in parsed) return { status: parsed.status, information: 0, handle: null, reason: parsed.reason };
    const { device, remaining } = parsed;
    if (device.deletePending || device.deleted) return { status: STATUS_NO_SUCH_DEVICE, information: 0, handle: null };
    if (device.vpb !== null) {
      const mounted = await mountVolume(this.io, device);
      if (!NT_SUCCESS(mounted)) return { status: mounted, information: 0, handle: null };
    }
    return this.createOn(device, remaining, options);
  }

  /** The create of `name` on `device` (mounted), reparsed as its file system asks. */
  private async createOn(device: DeviceObject, name: string, options: CreateOptions): Promise<CreateResult> {
    const { internal: _internal, startBelow: _startBelow, ...create } = options;
    const asked = name;
    // A file system that finds the name leads elsewhere (a link) completes with STATUS_REPARSE and the
    // name to open in the file object: the create starts again, from the top, with a new file object.
    for (let reparses = 0; reparses <= MAXIMUM_REPARSES; reparses++) {
      const fileObject = new FileObject(device, name);
      fileObject.vpb = device.vpb;
      fileObject.internal = options.internal ?? false;
      fileObject.filterManagerTarget = options.startBelow ?? null;
      const result = await this.send(fileObject, IRP_MJ_CREATE, 0, { create: { ...DEFAULT_CREATE, ...create } });
      if (result.status !== STATUS_REPARSE) {
        return { status: result.status, information: result.information, handle: CREATE_OPENED(result.status) ? new FileHandle(fileObject) : null };
      }
      name = fileObject.fileName;
    }
    return { status: STATUS_REPARSE_POINT_NOT_RESOLVED, information: 0, handle: null, reason: `'${asked}' was reparsed more than ${MAXIMUM_REPARSES} times` };
  }

  /**
   * Reads up to `length` bytes at `byteOffset`, into `into` when given (it must hold `length` bytes, else
   * STATUS_INVALID_USER_BUFFER); without `into`, at most MAXIMUM_ALLOCATED_BUFFER bytes per call. Checked
   * before anything is allocated (request-checks.ts).
   */
  async read(handle: FileHandle, length: number, byteOffset: number, into?: Uint8Array): Promise<ReadResult> {
    const refusal = checkRead(`read of '${handle.fileObject.fileName}'`, length, byteOffset, into);
    if (refusal !== null) return refused(refusal);
    const buffer = into ?? new Uint8Array(length);
    const result = await this.sendOn(handle, IRP_MJ_READ, 0, { read: { length, byteOffset } }, (irp) => (irp.userBuffer = buffer));
    const data = result.userBuffer ?? buffer;
    return { status: result.status, information: result.information, data: data.subarray(0, NT_SUCCESS(result.status) ? result.information : 0) };
  }

  /** Writes `data` at `byteOffset`; FILE_WRITE_TO_END_OF_FILE (-1) appends. */
  write(handle: FileHandle, data: Uint8Array, byteOffset: number): Promise<IoResult> {
    const refusal = checkWrite(`write of '${handle.fileObject.fileName}'`, data, byteOffset);
    if (refusal !== null) return Promise.resolve({ status: refusal.status, information: 0, reason: refusal.reason });
    return this.sendOn(handle, IRP_MJ_WRITE, 0, { write: { length: data.length, byteOffset } }, (irp) => (irp.userBuffer = data)).then(statusOf);
  }

  queryInformation(handle: FileHandle, fileInformationClass: FileInformationClass.FileBasicInformation): Promise<InfoResult<FileBasicInformation>>;
  queryInformation(handle: FileHandle, fileInformationClass: FileInformationClass.FileStandardInformation): Promise<InfoResult<FileStandardInformation>>;
  queryInformation(handle: FileHandle, fileInformationClass: FileInformationClass): Promise<InfoResult<unknown>>;
  async queryInformation(handle: FileHandle, fileInformationClass: FileInformationClass): Promise<InfoResult<unknown>> {
    const result = await this.sendOn(handle, IRP_MJ_QUERY_INFORMATION, 0, { queryFile: { fileInformationClass } });
    return withInfo(result);
  }

  async setInformation(handle: FileHandle, fileInformationClass: FileInformationClass, information: unknown): Promise<IoResult> {
    if (fileInformationClass === FileInformationClass.FileRenameInformation && !handle.closed && !handle.fileObject.cleanupComplete) {
      const target = await settleRenameTarget(handle.fileObject, information, (from, folder) => this.openTargetFolder(from, folder));
      if ('status' in target) return { status: target.status, information: 0 };
      information = target.information;
    }
    return statusOf(await this.sendOn(handle, IRP_MJ_SET_INFORMATION, 0, { setFile: { fileInformationClass, information } }));
  }

  /** A rename's target folder, opened and closed again as requests on `from` are sent (rename-target.ts). */
  private async openTargetFolder(from: FileObject, folder: string): Promise<{ status: NTSTATUS; fileName: string | null }> {
    const opened = await this.createOn(from.deviceObject, folder, {
      disposition: FILE_OPEN, options: FILE_DIRECTORY_FILE, internal: from.internal, startBelow: from.filterManagerTarget,
    });
    if (opened.handle === null) return { status: opened.status, fileName: null };
    const fileName = opened.handle.fileObject.fileName;
    await this.close(opened.handle);
    return { status: opened.status, fileName };
  }

  /** Lists a directory opened as `handle`; `pattern` is an NT wildcard (* and ?). */
  async queryDirectory(handle: FileHandle, pattern: string | null = null, restartScan = true): Promise<InfoResult<FileDirectoryInformation[]>> {
    const result = await this.sendOn(handle, IRP_MJ_DIRECTORY_CONTROL, IRP_MN_QUERY_DIRECTORY, {
      queryDirectory: { fileInformationClass: FileInformationClass.FileDirectoryInformation, fileName: pattern, restartScan, returnSingleEntry: false },
    });
    return withInfo(result) as InfoResult<FileDirectoryInformation[]>;
  }

  flush(handle: FileHandle): Promise<IoResult> {
    return this.sendOn(handle, IRP_MJ_FLUSH_BUFFERS, 0, {}).then(statusOf);
  }

  async fsControl(handle: FileHandle, fsControlCode: number, input: Uint8Array | null, outputLength: number): Promise<ReadResult> {
    const refusal = checkControl(`file system control of '${handle.fileObject.fileName}'`, fsControlCode, input, outputLength);
    if (refusal !== null) return refused(refusal);
    const output = new Uint8Array(outputLength);
    const result = await this.sendOn(handle, IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MN_USER_FS_REQUEST, {
      fileSystemControl: { fsControlCode, inputBufferLength: input?.length ?? 0, outputBufferLength: outputLength },
    }, (irp) => {
      irp.inputBuffer = input === null ? null : input.slice();
      irp.outputBuffer = output;
    });
    return { status: result.status, information: result.information, data: output.subarray(0, Math.min(result.information, outputLength)) };
  }

  async deviceIoControl(handle: FileHandle, ioControlCode: number, input: Uint8Array | null, outputLength: number): Promise<ReadResult> {
    const refusal = checkControl(`device control of '${handle.fileObject.fileName}'`, ioControlCode, input, outputLength);
    if (refusal !== null) return refused(refusal);
    const output = new Uint8Array(outputLength);
    const result = await this.sendOn(handle, IRP_MJ_DEVICE_CONTROL, 0, {
      deviceIoControl: { ioControlCode, inputBufferLength: input?.length ?? 0, outputBufferLength: outputLength },
    }, (irp) => {
      irp.inputBuffer = input === null ? null : input.slice();
      irp.outputBuffer = output;
    });
    return { status: result.status, information: result.information, data: output.subarray(0, Math.min(result.information, outputLength)) };
  }

  /**
   * IRP_MJ_CLEANUP: the last handle is going away (share access, delete-on-close, final verdicts). Sent
   * once per file object: a call while it is under way waits for it, and any later call (or one on a
   * closed handle) gets STATUS_INVALID_HANDLE.
   */
  async cleanup(handle: FileHandle): Promise<IoResult> {
    const fileObject = handle.fileObject;
    const teardown = teardownOf(fileObject);
    if (teardown.cleanup !== null) {
      await settled(teardown.cleanup);
      return invalidHandle();
    }
    if (handle.closed || fileObject.cleanupComplete) return invalidHandle();
    teardown.cleanup = this.sendCleanup(fileObject);
    return teardown.cleanup;
  }

  /**
   * Closes the handle: cleanup (if not done yet), then IRP_MJ_CLOSE once the file object's last request in
   * flight has completed (each holds a reference on it, as in NT). Resolves when the cleanup is done and,
   * if nothing else was in flight, the close too; otherwise the close follows the last request (as NtClose
   * returns before the file object's last reference goes). Returns the first failure, if any. The handle is
   * closed from the call on: a concurrent or later close gets STATUS_INVALID_HANDLE once the first is done.
   */
  close(handle: FileHandle): Promise<IoResult> {
    const fileObject = handle.fileObject;
    const teardown = teardownOf(fileObject);
    if (handle.closed || teardown.close !== null) {
      handle.closed = true;
      return teardown.close === null ? Promise.resolve(invalidHandle()) : settled(teardown.close).then(invalidHandle);
    }
    handle.closed = true;
    teardown.close = this.closeFileObject(fileObject, teardown);
    return teardown.close;
  }

  private async closeFileObject(fileObject: FileObject, teardown: Teardown): Promise<IoResult> {
    let cleanup = succeeded();
    if (teardown.cleanup !== null) {
      // A cleanup() under way is its caller's: its status is reported there, not here.
      await settled(teardown.cleanup);
    } else if (!fileObject.cleanupComplete) {
      teardown.cleanup = this.sendCleanup(fileObject);
      cleanup = await teardown.cleanup;
    }
    const idle = whenFileObjectIdle(fileObject);
    if (idle !== null) {
      // Requests still in flight (a read a filter holds, say) keep the file object: the close follows them.
      // It cannot fail but by a driver's bug; with no caller left to tell, the failure goes where the
      // I/O manager reports what it survived (onDriverFailure), or, with the verifier on, is raised.
      void idle.then(() => this.sendClose(fileObject)).catch((problem: unknown) => this.reportDeferredCloseFailure(fileObject, problem));
      return cleanup;
    }
    const close = await this.sendClose(fileObject);
    return NT_SUCCESS(cleanup.status) ? close : cleanup;
  }

  private reportDeferredCloseFailure(fileObject: FileObject, problem: unknown): void {
    const what = problem instanceof Error ? problem.message : String(problem);
    const error = new Error(`the IRP_MJ_CLOSE of '${fileObject.fileName}', sent once its last request completed, failed: ${what}`, { cause: problem });
    // An unhandled rejection would end the process (the agent with it): only the verifier (tests) wants that.
    if (!this.io.verifier && this.io.onDriverFailure !== null) this.io.onDriverFailure(error);
    else if (this.io.verifier) throw error;
  }

  private sendCleanup(fileObject: FileObject): Promise<IoResult> {
    return this.send(fileObject, IRP_MJ_CLEANUP, 0, {}).then((result) => {
      fileObject.cleanupComplete = true;
      return statusOf(result);
    });
  }

  private sendClose(fileObject: FileObject): Promise<IoResult> {
    return this.send(fileObject, IRP_MJ_CLOSE, 0, {}).then((result) => {
      fileObject.closed = true;
      return statusOf(result);
    });
  }

  private sendOn(handle: FileHandle, major: number, minor: number, parameters: IoParameters, prepare?: (irp: Irp) => void): Promise<RequestResult> {
    if (handle.closed || handle.fileObject.cleanupComplete) {
      return Promise.resolve({ status: STATUS_INVALID_HANDLE, information: 0, infoBuffer: null, userBuffer: null, outputBuffer: null });
    }
    return this.send(handle.fileObject, major, minor, parameters, prepare);
  }

  private send(fileObject: FileObject, major: number, minor: number, parameters: IoParameters, prepare?: (irp: Irp) => void): Promise<RequestResult> {
    const device: DeviceObject = IoGetRelatedDeviceObject(fileObject);
    const irp = IoAllocateIrp(this.io, device.stackSize);
    irp.requestorMode = UserMode;
    irp.originalFileObject = fileObject;
    const loc = irp.stack[0]!;
    loc.majorFunction = major;
    loc.minorFunction = minor;
    loc.fileObject = fileObject;
    loc.parameters = parameters;
    prepare?.(irp);
    // A create's file object has no handle yet (the only close during a create is FltCancelFileOpen's,
    // which NT sends at once too), and the close is what waits: neither holds a reference.
    if (major === IRP_MJ_CREATE || major === IRP_MJ_CLOSE) return sendRequest(device, irp);
    referenceFileObject(fileObject);
    return sendRequest(device, irp, () => dereferenceFileObject(fileObject));
  }
}

/** Resolves when `promise` settles, whichever way: a later caller only waits for the first one's work. */
function settled(promise: Promise<unknown>): Promise<void> {
  return promise.then(() => undefined, () => undefined);
}

function statusOf(result: RequestResult): IoResult {
  return { status: result.status, information: result.information };
}

function withInfo(result: RequestResult): InfoResult<unknown> {
  return { status: result.status, information: result.information, info: NT_SUCCESS(result.status) ? result.infoBuffer : null };
}
