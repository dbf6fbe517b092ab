// The I/O manager's state: the device namespace, registered file systems, live IRPs and the verifier
// switch. The NT routines themselves live in the files named for what they do (irp-dispatch,
// irp-alloc, device-stack, mount, cancel) and keep their state here.

import { DeviceObject, DriverObject } from './device.js';
import { Irp } from './irp.js';
import { VerifierError, describeIrp, rawIrp, viewToken } from './verifier.js';

export interface IoManagerOptions {
  /** Turn rule breaks into VerifierErrors (on in every test). Default: on. */
  verifier?: boolean;
  /**
   * Told of a driver's failure the I/O manager survived with the verifier off (a minifilter callback that
   * threw: its operation ended with STATUS_INTERNAL_ERROR), so that it reaches a log. Default: none.
   */
  onDriverFailure?: (error: Error) => void;
}

export type FsRegistrationCallback = (fileSystemDevice: DeviceObject, active: boolean) => void;

/** Marks an IRP that no party owns while the I/O manager walks its completion routines. */
export const OWNER_IO_MANAGER: object = Object.freeze({ owner: 'I/O manager' });
export const OWNER_FREED: object = Object.freeze({ owner: 'freed' });

export class IoManager {
  readonly verifier: boolean;
  readonly onDriverFailure: ((error: Error) => void) | null;
  private nextIrpId = 1;
  /** IRPs allocated and not yet freed (verifier only). */
  readonly liveIrps = new Set<Irp>();
  readonly namespace = new Map<string, DeviceObject>();
  readonly drivers = new Set<DriverObject>();
  /** File-system control devices, in registration order. */
  readonly fileSystems: DeviceObject[] = [];
  readonly fsRegistrationCallbacks: { driver: DriverObject; callback: FsRegistrationCallback }[] = [];
  /** Mounts in progress, so that concurrent first opens of a volume share one mount. */
  readonly mountsInProgress = new Map<object, Promise<number>>();
  /** Depth of forced-detach cascades in progress (detaching out of order is allowed inside one). */
  cascadeDepth = 0;

  constructor(options: IoManagerOptions = {}) {
    this.verifier = options.verifier ?? true;
    this.onDriverFailure = options.onDriverFailure ?? null;
  }

  createDriver(driverName: string): DriverObject {
    const driver = new DriverObject(this, driverName);
    this.drivers.add(driver);
    return driver;
  }

  newIrp(stackCount: number): Irp {
    const irp = new Irp(this, this.nextIrpId++, stackCount);
    if (this.verifier) {
      irp.vReturned = new Array(stackCount);
      irp.vMarked = new Array(stackCount);
      irp.vDevices = [];
      irp.vCompleters = [];
      this.liveIrps.add(irp);
    }
    return irp;
  }

  /**
   * The raw IRP behind `view`, after checking (with the verifier on) that the caller owns it.
   * `routine` names the NT routine for the error message.
   */
  claim(view: Irp, routine: string): Irp {
    if (!this.verifier) return view;
    const irp = rawIrp(view);
    const token = viewToken(view);
    if (irp.freed) throw new VerifierError('use-after-free', `${routine} on ${describeIrp(irp)} after IoFreeIrp`);
    if (token !== undefined && irp.owner !== token) {
      throw new VerifierError('touch-after-forward', `${routine} on ${describeIrp(irp)} by a party that no longer owns it (it was passed on or completed)`);
    }
    return irp;
  }

  fail(rule: string, message: string): never {
    throw new VerifierError(rule, message);
  }

  /** Throws when IRPs are still allocated: call at shutdown and after every test. */
  assertNoLeakedIrps(): void {
    if (!this.verifier || this.liveIrps.size === 0) return;
    const list = [...this.liveIrps].slice(0, 10).map(describeIrp).join(', ');
    throw new VerifierError('leaked-irp', `${this.liveIrps.size} IRP(s) never freed at shutdown: ${list}`);
  }
}
