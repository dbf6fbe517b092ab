// A raw device (no VPB: opened directly) for the upper edge's tests: it logs every request it receives as
// "<major> '<file name>'" and holds the requests of the majors it is told to hold (marked pending) until
// the test completes them; everything else it completes at once (creates with FILE_OPENED).

import assert from 'node:assert/strict';
import {
  FILE_OPENED, IRP_MJ_CREATE, IoCompleteRequest, IoGetCurrentIrpStackLocation, IoMarkIrpPending, NtFileApi, STATUS_PENDING,
  STATUS_SUCCESS, majorFunctionName, type DeviceObject, type FileHandle, type Irp, type IoManager, type NTSTATUS,
} from '../../main/io/index.js';
import { assertStatus, createDevice, createDriver, newIo } from './helpers.js';

export class HeldDevice {
  readonly log: string[] = [];
  readonly held: Irp[] = [];
  readonly device: DeviceObject;
  /** Majors whose requests are held; change it between requests. */
  hold = new Set<number>();

  constructor(io: IoManager, name: string) {
    this.device = createDevice(createDriver(io, 'held', (_device, irp) => {
      const loc = IoGetCurrentIrpStackLocation(irp);
      this.log.push(`${majorFunctionName(loc.majorFunction)} '${loc.fileObject?.fileName}'`);
      if (this.hold.has(loc.majorFunction)) {
        IoMarkIrpPending(irp);
        this.held.push(irp);
        return STATUS_PENDING;
      }
      irp.ioStatus.status = STATUS_SUCCESS;
      irp.ioStatus.information = loc.majorFunction === IRP_MJ_CREATE ? FILE_OPENED : 0;
      IoCompleteRequest(irp);
      return STATUS_SUCCESS;
    }), name);
  }

  /** Completes the oldest held request. */
  complete(status: NTSTATUS = STATUS_SUCCESS, information = 0): void {
    const irp = this.held.shift();
    assert.ok(irp, 'the device holds no request');
    irp.ioStatus.status = status;
    irp.ioStatus.information = information;
    IoCompleteRequest(irp);
  }
}

/** Lets every promise reaction queued so far run (setImmediate comes after all of them). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A fresh I/O manager with a HeldDevice at \Device\Held, and one file opened on it (its log emptied). */
export async function openHeld(): Promise<{ io: IoManager; disk: HeldDevice; api: NtFileApi; handle: FileHandle }> {
  const io = newIo();
  const disk = new HeldDevice(io, '\\Device\\Held');
  const api = new NtFileApi(io);
  const opened = await api.createFile('\\Device\\Held\\f');
  assertStatus(opened.status, STATUS_SUCCESS);
  disk.log.length = 0;
  return { io, disk, api, handle: opened.handle! };
}
