// The I/O manager's public surface: everything drivers, filters and the upper layers may use.

export * from './ntstatus.js';
export * from './irp-codes.js';
export * from './file-information.js';
export * from './device.js';
export * from './irp.js';
export * from './kevent.js';
export { VerifierError, rawIrp } from './verifier.js';
export { IoManager, type IoManagerOptions, type FsRegistrationCallback } from './io-manager.js';
export * from './irp-dispatch.js';
export * from './irp-alloc.js';
export * from './device-stack.js';
export * from './cancel.js';
export * from './cancel-safe-queue.js';
export * from './mount.js';
export * from './send-request.js';
export { dereferenceFileObject, referenceFileObject } from './file-object-references.js';
export * from './path-name.js';
export * from './nt-file-api.js';
export { MAXIMUM_ALLOCATED_BUFFER, MAXIMUM_REQUEST_LENGTH } from './request-checks.js';
export * from './aligned-memory.js';
