// One-shot helper over a ScanSession: scan a buffer held in memory.

import type { CompiledDatabase } from './compiled-database.js';
import { ScanSession, type Detection } from './scan-session.js';

export function scanBytes(db: CompiledDatabase, bytes: Uint8Array): Detection | null {
  const session = new ScanSession(db, { knownSize: bytes.length });
  return session.feed(bytes) ?? session.finish();
}
