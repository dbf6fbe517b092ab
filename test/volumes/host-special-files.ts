// Host entries that are neither files nor directories, made for real without root: a named pipe (mkfifo)
// and a listening Unix socket. Device nodes need root (mknod) and are left to the same code path.

import { execFileSync } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { createServer } from 'node:net';

export function makeFifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

/** A Unix socket listening at `path`; the returned function closes it (which removes the socket file). */
export async function listenSocket(path: string): Promise<() => Promise<void>> {
  const server = createServer((connection) => connection.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, resolve);
  });
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

export function isFifo(path: string): boolean {
  return lstatSync(path).isFIFO();
}

export function isSocket(path: string): boolean {
  return lstatSync(path).isSocket();
}
