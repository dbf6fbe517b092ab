// Altitudes: decimal strings ("320000", "185000.5") compared numerically, digit by digit, never as floats.

import { NtStatusError, STATUS_INVALID_PARAMETER } from '../io/index.js';

const ALTITUDE = /^(\d{1,12})(?:\.(\d{1,12}))?$/;

export function parseAltitude(altitude: string): { whole: string; fraction: string } {
  const match = ALTITUDE.exec(altitude);
  if (match === null) {
    throw new NtStatusError(STATUS_INVALID_PARAMETER, `altitude '${altitude}' is not a decimal number such as "320000" or "185000.5"`);
  }
  return { whole: match[1]!.replace(/^0+(?=\d)/, ''), fraction: (match[2] ?? '').replace(/0+$/, '') };
}

/** Negative when a is lower than b, positive when higher, 0 when equal. */
export function compareAltitudes(a: string, b: string): number {
  const x = parseAltitude(a);
  const y = parseAltitude(b);
  if (x.whole.length !== y.whole.length) return x.whole.length - y.whole.length;
  if (x.whole !== y.whole) return x.whole < y.whole ? -1 : 1;
  const width = Math.max(x.fraction.length, y.fraction.length);
  const fx = x.fraction.padEnd(width, '0');
  const fy = y.fraction.padEnd(width, '0');
  return fx === fy ? 0 : fx < fy ? -1 : 1;
}
