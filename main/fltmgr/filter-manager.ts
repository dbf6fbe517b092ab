// The filter manager: one legacy filter driver that intercepts mounts (attaching its device to every
// new volume in the mount IRP's completion routine) and hosts minifilter instances on each volume.
// When a volume is dismounted, its device leaves the stack at once but is deleted only once the
// operations its instances still pend or hold have ended (instance-teardown.ts).

import {
  FILE_DEVICE_DISK_FILE_SYSTEM, IRP_MJ_CLOSE, IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MJ_MAXIMUM_FUNCTION,
  IRP_MN_MOUNT_VOLUME, IoAttachDeviceToDeviceStack, IoCallDriver, IoCopyCurrentIrpStackLocationToNext,
  IoCreateDevice, IoDeleteDevice, IoDetachDevice, IoGetCurrentIrpStackLocation, IoMarkIrpPending,
  IoRegisterFsRegistrationChange, IoSetCompletionRoutine, IoSkipCurrentIrpStackLocation, NT_SUCCESS,
  NtStatusError, STATUS_FLT_DO_NOT_ATTACH, STATUS_FLT_DO_NOT_DETACH, STATUS_FLT_INSTANCE_ALTITUDE_COLLISION,
  STATUS_FLT_DELETING_OBJECT, STATUS_FLT_INSTANCE_NOT_FOUND, STATUS_FLT_NAME_COLLISION, STATUS_OBJECT_NAME_INVALID,
  STATUS_SUCCESS, STATUS_VOLUME_DISMOUNTED, parseObjectName, type DeviceObject, type DriverObject,
  FileHandle, NtFileApi, type CreateOptions, type CreateResult, type FileObject, type IoManager, type Irp, type NTSTATUS,
  type Vpb,
} from '../io/index.js';
import { compareAltitudes, parseAltitude } from './altitude.js';
import type { FltCallbackData } from './callback-data.js';
import { reportFailure } from './callback-failure.js';
import {
  FLTFL_INSTANCE_TEARDOWN_FILTER_UNLOAD, FLTFL_INSTANCE_TEARDOWN_MANUAL, FLTFL_INSTANCE_TEARDOWN_VOLUME_DISMOUNT,
  type FltPreopStatus,
} from './flt-constants.js';
import { FltFilter } from './filter.js';
import { FltInstance, InstanceState } from './instance.js';
import { tearDownInstance } from './instance-teardown.js';
import { Operation, operationOf } from './operation.js';
import type { FltRegistration } from './registration.js';
import { FltVolume } from './volume-frame.js';

interface ControlFilterExtension {
  role: 'control';
  lower: DeviceObject;
}
interface VolumeFilterExtension {
  role: 'volume';
  volume: FltVolume | null;
}
type FltDeviceExtension = ControlFilterExtension | VolumeFilterExtension;

export class FilterManager {
  readonly driver: DriverObject;
  readonly filters: FltFilter[] = [];
  readonly volumes = new Set<FltVolume>();
  /** The upper edge, for minifilters' own I/O (see createFileBelow). */
  readonly api: NtFileApi;

  constructor(readonly io: IoManager) {
    this.driver = io.createDriver('FltMgr');
    this.api = new NtFileApi(io);
    for (let major = 0; major <= IRP_MJ_MAXIMUM_FUNCTION; major++) this.driver.majorFunction[major] = this.dispatch;
    this.driver.fastIoDispatch.fastIoDetachDevice = this.detachFromDeletedDevice;
    IoRegisterFsRegistrationChange(this.driver, (controlDevice, active) => {
      if (active) this.attachToFileSystem(controlDevice);
    });
  }

  /**
   * FltRegisterFilter. Names are unique; the altitude must be a decimal string; a malformed registration
   * table is refused with STATUS_INVALID_PARAMETER naming the entry (registration-check.ts).
   */
  registerFilter(registration: FltRegistration): FltFilter {
    const filter = new FltFilter(this, registration);
    parseAltitude(registration.altitude);
    if (this.filters.some((other) => other.name.toLowerCase() === filter.name.toLowerCase())) {
      throw new NtStatusError(STATUS_FLT_NAME_COLLISION, `a minifilter named '${filter.name}' is already registered`);
    }
    this.filters.push(filter);
    return filter;
  }

  startFiltering(filter: FltFilter): void {
    filter.filtering = true;
    for (const volume of this.volumes) this.attachInstance(filter, volume);
  }

  /** Tears down every instance (a failing callback does not stop the others), then forgets the filter. */
  async unregisterFilter(filter: FltFilter): Promise<void> {
    filter.filtering = false;
    let failure: Error | null = null;
    for (const instance of [...filter.instances]) {
      const failed = await tearDownInstance(this.io, instance, FLTFL_INSTANCE_TEARDOWN_FILTER_UNLOAD);
      failure ??= failed;
    }
    filter.unregistered = true;
    const index = this.filters.indexOf(filter);
    if (index >= 0) this.filters.splice(index, 1);
    reportFailure(this.io, failure, true);
  }

  /**
   * FltCreateFile: opens `relativeName` ("\dir\file", or '' for the root) on the instance's volume for the
   * instance's own I/O. Every request on the returned handle (through `this.api`) enters the stack below
   * the instance and is flagged internal, so neither this filter nor those above see it. A name that is
   * not volume-relative (it could reach another device) fails with STATUS_OBJECT_NAME_INVALID; an
   * instance torn down, or whose volume is gone, gets STATUS_FLT_DELETING_OBJECT / STATUS_VOLUME_DISMOUNTED.
   */
  createFileBelow(instance: FltInstance, relativeName: string, options: CreateOptions = {}): Promise<CreateResult> {
    const refusal = this.refuseBelow(instance, relativeName);
    if (refusal !== null) return Promise.resolve({ status: refusal.status, information: 0, handle: null, reason: refusal.reason });
    return this.api.createFile(`${instance.volume.name}${relativeName}`, { ...options, internal: true, startBelow: instance });
  }

  private refuseBelow(instance: FltInstance, relativeName: string): { status: NTSTATUS; reason: string } | null {
    const where = `createFileBelow on ${instance.volume.name} for minifilter '${instance.name}'`;
    if (instance.state === InstanceState.Detached) return { status: STATUS_FLT_DELETING_OBJECT, reason: `${where}: the instance is detached` };
    if (instance.volume.dismounted) return { status: STATUS_VOLUME_DISMOUNTED, reason: `${where}: the volume is dismounted` };
    if (typeof relativeName !== 'string' || (relativeName !== '' && !relativeName.startsWith('\\'))) {
      return { status: STATUS_OBJECT_NAME_INVALID, reason: `${where}: '${String(relativeName)}' is not volume-relative (it must be '' or start with a backslash)` };
    }
    // The object manager takes the longest device name: the whole name must still resolve to this volume.
    const parsed = parseObjectName(this.io, `${instance.volume.name}${relativeName}`);
    if ('device' in parsed && parsed.device === instance.volume.storageDevice) return null;
    return { status: STATUS_OBJECT_NAME_INVALID, reason: `${where}: '${relativeName}' names another device` };
  }

  /**
   * FltCancelFileOpen: undoes an open the file system has done but a minifilter refuses in its post-create
   * callback. Cleanup and close of the file object go to the instances below `instance` and the file system,
   * so the file system lets go of the open; the caller fails the create (sets the status in its callback
   * data) and finishes its post-callback. As in NT, a file the create made or truncated stays so.
   */
  async cancelFileOpen(instance: FltInstance, fileObject: FileObject): Promise<void> {
    // The filters above never saw this open succeed: its cleanup and close must not reach them either.
    fileObject.filterManagerTarget = instance;
    await this.api.close(new FileHandle(fileObject));
  }

  /** The volume whose storage device has this name (e.g. "\Device\StrataVolume1"). */
  getVolume(name: string): FltVolume | undefined {
    const key = name.toLowerCase();
    for (const volume of this.volumes) if (volume.name.toLowerCase() === key) return volume;
    return undefined;
  }

  /** FltAttachVolume: runs InstanceSetup; STATUS_FLT_DO_NOT_ATTACH leaves the volume unfiltered. */
  attachInstance(filter: FltFilter, volume: FltVolume): NTSTATUS {
    if (!this.volumes.has(volume)) return STATUS_FLT_INSTANCE_NOT_FOUND;
    for (const existing of volume.instances) {
      if (existing.filter === filter) return STATUS_FLT_INSTANCE_ALTITUDE_COLLISION;
      if (compareAltitudes(existing.altitude, filter.altitude) === 0) return STATUS_FLT_INSTANCE_ALTITUDE_COLLISION;
    }
    const instance = new FltInstance(filter, volume);
    const status = filter.registration.instanceSetup?.(instance.objects) ?? STATUS_SUCCESS;
    if (!NT_SUCCESS(status) || status === STATUS_FLT_DO_NOT_ATTACH) {
      instance.state = InstanceState.Detached;
      return status === STATUS_SUCCESS ? STATUS_FLT_DO_NOT_ATTACH : status;
    }
    filter.instances.add(instance);
    volume.add(instance);
    return STATUS_SUCCESS;
  }

  /**
   * FltDetachVolume: asks InstanceQueryTeardown, then tears the instance down (instance-teardown.ts),
   * resolving once TeardownComplete has run. A teardown callback's failure is thrown with the verifier on.
   */
  async detachInstance(filter: FltFilter, volume: FltVolume): Promise<NTSTATUS> {
    const instance = volume.instances.find((candidate) => candidate.filter === filter);
    if (instance === undefined || instance.state !== InstanceState.Attached) return STATUS_FLT_INSTANCE_NOT_FOUND;
    const answer = filter.registration.instanceQueryTeardown?.(instance.objects) ?? STATUS_SUCCESS;
    if (answer === STATUS_FLT_DO_NOT_DETACH || !NT_SUCCESS(answer)) return STATUS_FLT_DO_NOT_DETACH;
    reportFailure(this.io, await tearDownInstance(this.io, instance, FLTFL_INSTANCE_TEARDOWN_MANUAL), true);
    return STATUS_SUCCESS;
  }

  /** FltCompletePendedPreOperation. */
  completePendedPreOperation(data: FltCallbackData, status: FltPreopStatus, context?: unknown): void {
    operationOf(data).resumePre(status, context);
  }

  /** FltCompletePendedPostOperation. */
  completePendedPostOperation(data: FltCallbackData): void {
    operationOf(data).resumePost();
  }

  // ---- the legacy filter driver ----

  private attachToFileSystem(controlDevice: DeviceObject): void {
    if (controlDevice.driver === this.driver) return;
    const device = IoCreateDevice<FltDeviceExtension>(this.driver, {
      deviceType: controlDevice.deviceType,
      extension: { role: 'control', lower: controlDevice },
    });
    const lower = IoAttachDeviceToDeviceStack(device, controlDevice);
    (device.extension as ControlFilterExtension).lower = lower;
    device.flags &= ~0x80;
  }

  /** Mount interception: pass the mount down and attach to the new volume when it succeeds. */
  private onMountCompleted = (_device: DeviceObject | null, irp: Irp, context: unknown): NTSTATUS => {
    if (irp.pendingReturned) IoMarkIrpPending(irp);
    const vpb = context as Vpb;
    if (NT_SUCCESS(irp.ioStatus.status) && vpb.deviceObject !== null) this.attachToVolume(vpb);
    return STATUS_SUCCESS;
  };

  private attachToVolume(vpb: Vpb): void {
    const volumeDevice = vpb.deviceObject!;
    const device = IoCreateDevice<FltDeviceExtension>(this.driver, {
      deviceType: FILE_DEVICE_DISK_FILE_SYSTEM,
      extension: { role: 'volume', volume: null },
    });
    const lower = IoAttachDeviceToDeviceStack(device, volumeDevice);
    const volume = new FltVolume(device, lower, volumeDevice, vpb.realDevice);
    (device.extension as VolumeFilterExtension).volume = volume;
    device.flags &= ~0x80;
    this.volumes.add(volume);
    for (const filter of this.filters) if (filter.filtering) this.attachInstance(filter, volume);
  }

  /**
   * The forced-detach cascade: the device below is being deleted (dismount, FS unload). Instances are
   * torn down for VOLUME_DISMOUNT; the device leaves the stack now. It is deleted now too when no
   * operation is pended in or held by an instance; otherwise once the last of those has ended (an
   * operation resumed after the dismount fails with STATUS_VOLUME_DISMOUNTED), since a device with IRPs
   * still outstanding must not be deleted. The dismount itself does not wait.
   */
  private detachFromDeletedDevice = (source: DeviceObject, target: DeviceObject): void => {
    const extension = source.extension as FltDeviceExtension;
    if (extension.role !== 'volume' || extension.volume === null) {
      IoDetachDevice(target);
      IoDeleteDevice(source);
      return;
    }
    const volume = extension.volume;
    volume.dismounted = true;
    this.volumes.delete(volume);
    const instances = [...volume.instances];
    for (const instance of instances) {
      // Nobody awaits a dismount's teardown: a callback's failure is raised on its own (verifier on).
      void tearDownInstance(this.io, instance, FLTFL_INSTANCE_TEARDOWN_VOLUME_DISMOUNT).then((failure) => reportFailure(this.io, failure, false));
    }
    IoDetachDevice(target);
    if (instances.every((instance) => instance.state === InstanceState.Detached)) IoDeleteDevice(source);
    else void this.deleteWhenTornDown(source, instances);
  };

  private async deleteWhenTornDown(device: DeviceObject, instances: readonly FltInstance[]): Promise<void> {
    for (const instance of instances) await instance.teardown;
    IoDeleteDevice(device);
  }

  private dispatch = (device: DeviceObject, irp: Irp): NTSTATUS => {
    const extension = device.extension as FltDeviceExtension;
    const loc = IoGetCurrentIrpStackLocation(irp);
    if (extension.role === 'control') {
      if (loc.majorFunction === IRP_MJ_FILE_SYSTEM_CONTROL && loc.minorFunction === IRP_MN_MOUNT_VOLUME) {
        IoCopyCurrentIrpStackLocationToNext(irp);
        IoSetCompletionRoutine(irp, this.onMountCompleted, loc.parameters.mountVolume!.vpb, true, false, false);
        return IoCallDriver(extension.lower, irp);
      }
      IoSkipCurrentIrpStackLocation(irp);
      return IoCallDriver(extension.lower, irp);
    }
    const volume = extension.volume!;
    const major = loc.majorFunction;
    const below = loc.fileObject?.filterManagerTarget;
    const instances = below instanceof FltInstance ? volume.instancesBelow(major, below) : volume.instancesFor(major);
    const stream = major === IRP_MJ_CLOSE ? loc.fileObject?.fsContext ?? null : null;
    if (instances.length === 0 && stream === null) {
      IoSkipCurrentIrpStackLocation(irp);
      return IoCallDriver(volume.lower, irp);
    }
    const operation = new Operation(volume, irp, major, instances, this);
    if (stream !== null) operation.onPostsDone = () => this.releaseStreamIfGone(volume, stream);
    return operation.dispatch();
  };

  /** After a close: when the stream has no open left, its stream contexts go. */
  private releaseStreamIfGone(volume: FltVolume, stream: object): void {
    const openCount = (stream as { openCount?: unknown }).openCount;
    if (typeof openCount !== 'number' || openCount > 0) return;
    for (const instance of volume.instances) if (instance.hasStreamContext(stream)) instance.deleteStreamContext(stream);
  }
}
