// The filter manager's presence on one volume: its device attached above the volume device, and the
// instances attached there ordered by altitude, with a per-operation list cached for the hot path.

import type { DeviceObject } from '../io/index.js';
import { compareAltitudes } from './altitude.js';
import { InstanceState, type FltInstance } from './instance.js';
import type { Operation } from './operation.js';

const NO_INSTANCES: readonly FltInstance[] = [];

export class FltVolume {
  /**
   * Operations in flight that still owe post-callbacks (teardown drains the ones owed to an instance),
   * as an intrusive list: linking and unlinking cost two pointer writes on the hot path.
   */
  inflightHead: Operation | null = null;

  track(operation: Operation): void {
    operation.nextInflight = this.inflightHead;
    if (this.inflightHead !== null) this.inflightHead.previousInflight = operation;
    this.inflightHead = operation;
  }

  untrack(operation: Operation): void {
    const { previousInflight, nextInflight } = operation;
    if (previousInflight !== null) previousInflight.nextInflight = nextInflight;
    else if (this.inflightHead === operation) this.inflightHead = nextInflight;
    if (nextInflight !== null) nextInflight.previousInflight = previousInflight;
    operation.previousInflight = operation.nextInflight = null;
  }

  inflight(): Operation[] {
    const list: Operation[] = [];
    for (let operation = this.inflightHead; operation !== null; operation = operation.nextInflight) list.push(operation);
    return list;
  }
  /**
   * The volume was dismounted (its file system's device is gone): operations still pended in an instance
   * when that happened fail with STATUS_VOLUME_DISMOUNTED instead of going down.
   */
  dismounted = false;
  /** Attached instances, highest altitude first. */
  readonly instances: FltInstance[] = [];
  private byMajor: (readonly FltInstance[])[] = [];

  constructor(
    /** The filter manager's device in the volume stack. */
    readonly device: DeviceObject,
    /** The device below it, where operations go next. */
    readonly lower: DeviceObject,
    /** The file system's volume device. */
    readonly volumeDevice: DeviceObject,
    /** The storage device the volume is mounted from (its name is the volume's name). */
    readonly storageDevice: DeviceObject,
  ) {}

  get name(): string {
    return this.storageDevice.name ?? String(this.storageDevice);
  }

  get removable(): boolean {
    return (this.storageDevice.characteristics & 0x1) !== 0;
  }

  /** The attached instances interested in `major`, highest altitude first. */
  instancesFor(major: number): readonly FltInstance[] {
    return this.byMajor[major] ?? NO_INSTANCES;
  }

  /** The attached instances interested in `major` below `instance` (a minifilter's own I/O). */
  instancesBelow(major: number, instance: FltInstance): readonly FltInstance[] {
    return this.instancesFor(major).filter((candidate) => compareAltitudes(candidate.altitude, instance.altitude) < 0);
  }

  add(instance: FltInstance): void {
    this.instances.push(instance);
    this.instances.sort((a, b) => compareAltitudes(b.altitude, a.altitude));
    this.rebuild();
  }

  remove(instance: FltInstance): void {
    const index = this.instances.indexOf(instance);
    if (index >= 0) this.instances.splice(index, 1);
    this.rebuild();
  }

  /** Recomputes the per-operation lists; instances being torn down receive no new operations. */
  rebuild(): void {
    const byMajor: FltInstance[][] = [];
    for (const instance of this.instances) {
      if (instance.state !== InstanceState.Attached) continue;
      for (const major of instance.filter.majors) (byMajor[major] ??= []).push(instance);
    }
    this.byMajor = byMajor;
  }
}
