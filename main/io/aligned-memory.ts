// Memory for non-cached (FILE_NO_INTERMEDIATE_BUFFERING) transfers. A host that honours non-cached I/O
// (Linux O_DIRECT) moves the data straight between the caller's memory and the disk, so that memory must
// start on a sector boundary: a write from a misaligned buffer fails (EINVAL, STATUS_INVALID_PARAMETER).
// The backing stores of plain ArrayBuffers and SharedArrayBuffers come from malloc: 16-byte aligned, no
// more; a WebAssembly memory is mapped by the engine on its own, so its base is page-aligned. Shared,
// so that worker threads can fill it without a copy.

/** The WebAssembly page: memories are whole pages, and a page is a whole number of UNBUFFERED_ALIGNMENT sectors. */
const WASM_PAGE = 65536;

/**
 * `byteLength` bytes of zeroed shared memory whose first byte is aligned to at least UNBUFFERED_ALIGNMENT,
 * so that views at multiples of it are valid buffers for unbuffered reads and writes. `byteLength` must be
 * a positive multiple of 65536 (the WebAssembly page); the memory never grows.
 */
export function alignedSharedBuffer(byteLength: number): SharedArrayBuffer {
  if (!Number.isSafeInteger(byteLength) || byteLength <= 0 || byteLength % WASM_PAGE !== 0) {
    throw new RangeError(`alignedSharedBuffer: byteLength ${String(byteLength)} is not a positive multiple of ${WASM_PAGE}`);
  }
  const pages = byteLength / WASM_PAGE;
  const buffer: unknown = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }).buffer;
  // The DOM typings know only ArrayBuffer here; a shared memory's buffer is a SharedArrayBuffer.
  if (!(buffer instanceof SharedArrayBuffer)) throw new TypeError('alignedSharedBuffer: this engine gave unshared WebAssembly memory');
  return buffer;
}
