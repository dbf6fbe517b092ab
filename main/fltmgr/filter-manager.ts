// The filter manager: one legacy filter driver that intercepts mounts (attaching its device to every
// new volume in the mount IRP's completion routine) and hosts minifilter instances on each volume.

import {
  FILE_DEVICE_DISK_FILE_SYSTEM, IRP_MJ_CLOSE, IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MJ_MAXIMUM_FUNCTION,
  IRP_MN_MOUNT_VOLUME, IoAttachDeviceToDeviceStack, IoCallDriver, IoCopyCurrentIrpStackLocationToNext,
  IoCreateDevice, IoDeleteDevice, IoDetachDevice, IoGetCurrentIrpStackLocation, IoMarkIrpPending,
  IoRegisterFsRegistrationChange, IoSetCompletionRoutine, IoSkipCurrentIrpStackLocation, NT_SUCCESS,
  NtStatusError, STATUS_FLT_DO_NOT_ATTACH, STATUS_FLT_DO_NOT_DETACH, STATUS_FLT_INSTANCE_ALTITUDE_COLLISION,
  STATUS_FLT_INSTANCE_NOT_FOUND, STATUS_FLT_NAME_COLLISION, STATUS_SUCCESS, type DeviceObject, type DriverObject,
  FileHandle, NtFileApi, type CreateOptions, type CreateResult, type FileObject, type IoManager, type Irp, type NTSTATUS,
  type Vpb,
} from '../io/index.js';
import { compareAltitudes, parseAltitude } from './altitude.js';
import type { FltCallbackData } from './callback-data.js';
import {
  FLTFL_INSTANCE_TEARDOWN_FILTER_UNLOAD, FLTFL_INSTANCE_TEARDOWN_MANUAL, FLTFL_INSTANCE_TEARDOWN_VOLUME_DISMOUNT,
  type FltPreopStatus,
} from './flt-constants.js';
import { FltFilter } from './filter.js';
import { FltInstance, InstanceState } from './instance.js';
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

  /** FltRegisterFilter. Names are unique; the altitude must be a decimal string. */
  registerFilter(registration: FltRegistration): FltFilter {
    parseAltitude(registration.altitude);
    if (this.filters.some((filter) => filter.name.toLowerCase() === registration.name.toLowerCase())) {
      throw new NtStatusError(STATUS_FLT_NAME_COLLISION, `a minifilter named '${registration.name}' is already registered`);
    }
    const filter = new FltFilter(this, registration);
    this.filters.push(filter);
    return filter;
  }

  startFiltering(filter: FltFilter): void {
    filter.filtering = true;
    for (const volume of this.volumes) this.attachInstance(filter, volume);
  }

  async unregisterFilter(filter: FltFilter): Promise<void> {
    filter.filtering = false;
    for (const instance of [...filter.instances]) await this.teardown(instance, FLTFL_INSTANCE_TEARDOWN_FILTER_UNLOAD);
    filter.unregistered = true;
    const index = this.filters.indexOf(filter);
    if (index >= 0) this.filters.splice(index, 1);
  }

  /**
   * FltCreateFile: opens `relativeName` ("\dir\file") on the instance's volume for the instance's own
   * I/O. Every request on the returned handle (through `this.api`) enters the stack below the
   * instance and is flagged internal, so neither this filter nor those above see it.
   */
  createFileBelow(instance: FltInstance, relativeName: string, options: CreateOptions = {}): Promise<CreateResult> {
    return this.api.createFile(`${instance.volume.name}${relativeName}`, { ...options, internal: true, startBelow: instance });
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

  /** FltDetachVolume: asks InstanceQueryTeardown, then tears the instance down, draining its operations. */
  async detachInstance(filter: FltFilter, volume: FltVolume): Promise<NTSTATUS> {
    const instance = volume.instances.find((candidate) => candidate.filter === filter);
    if (instance === undefined || instance.state !== InstanceState.Attached) return STATUS_FLT_INSTANCE_NOT_FOUND;
    const answer = filter.registration.instanceQueryTeardown?.(instance.objects) ?? STATUS_SUCCESS;
    if (answer === STATUS_FLT_DO_NOT_DETACH || !NT_SUCCESS(answer)) return STATUS_FLT_DO_NOT_DETACH;
    await this.teardown(instance, FLTFL_INSTANCE_TEARDOWN_MANUAL);
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

  /**
   * Teardown: no new operations reach the instance; TeardownStart lets the filter finish what it
   * pended; outstanding post-callbacks are called now with the draining flag; then contexts go and
   * TeardownComplete runs. Awaits operations held in the filter's own callbacks.
   */
  private async teardown(instance: FltInstance, reason: number): Promise<void> {
    this.beginTeardown(instance, reason);
    await instance.waitIdle();
    this.drainOutstanding(instance);
    this.finishTeardown(instance, reason);
  }

  private beginTeardown(instance: FltInstance, reason: number): void {
    if (instance.state !== InstanceState.Attached) return;
    instance.state = InstanceState.TearingDown;
    instance.volume.rebuild();
    instance.filter.registration.instanceTeardownStart?.(instance.objects, reason);
    this.drainOutstanding(instance);
  }

  private drainOutstanding(instance: FltInstance): void {
    for (const operation of instance.volume.inflight()) {
      for (const entry of operation.owedTo(instance)) operation.drain(entry);
    }
  }

  private finishTeardown(instance: FltInstance, reason: number): void {
    if (instance.state === InstanceState.Detached) return;
    instance.releaseAllContexts();
    instance.filter.registration.instanceTeardownComplete?.(instance.objects, reason);
    instance.state = InstanceState.Detached;
    instance.filter.instances.delete(instance);
    instance.volume.remove(instance);
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

  /** The forced-detach cascade: the device below is being deleted (dismount, FS unload). */
  private detachFromDeletedDevice = (source: DeviceObject, target: DeviceObject): void => {
    const extension = source.extension as FltDeviceExtension;
    if (extension.role === 'volume' && extension.volume !== null) {
      const volume = extension.volume;
      for (const instance of [...volume.instances]) {
        this.beginTeardown(instance, FLTFL_INSTANCE_TEARDOWN_VOLUME_DISMOUNT);
        this.finishTeardown(instance, FLTFL_INSTANCE_TEARDOWN_VOLUME_DISMOUNT);
      }
      this.volumes.delete(volume);
    }
    IoDetachDevice(target);
    IoDeleteDevice(source);
  };

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
    const operation = new Operation(volume, irp, major, instances);
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
