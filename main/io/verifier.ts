// The I/O verifier: turns breaks of the IRP rules into precise errors instead of silent corruption.
// Ownership of an IRP is tracked with tokens: whoever an IRP is handed to (a dispatch routine, a
// completion routine, the creator) receives a *view* bound to its token, and a view whose token no
// longer owns the IRP throws on any touch. With the verifier off, views are the raw IRP and cost nothing.

import { Irp } from './irp.js';
import { majorFunctionName } from './irp-codes.js';

export class VerifierError extends Error {
  constructor(readonly rule: string, message: string) {
    super(`I/O verifier: ${rule}: ${message}`);
    this.name = 'VerifierError';
  }
}

const RAW = Symbol('raw irp');
const TOKEN = Symbol('owner token');

export function describeIrp(irp: Irp): string {
  const loc = irp.currentIndex >= 0 && irp.currentIndex < irp.stackCount ? irp.stack[irp.currentIndex] : irp.stack[0];
  const major = loc ? majorFunctionName(loc.majorFunction) : 'no stack';
  return `IRP #${irp.id} (${major})`;
}

/** A proxy of `irp` bound to `token`; touching it while another token owns the IRP throws. */
export function makeView(irp: Irp, token: object): Irp {
  return new Proxy(irp, {
    get(target, prop) {
      if (prop === RAW) return target;
      if (prop === TOKEN) return token;
      if (target.owner !== token) throw touchedError(target, String(prop));
      return Reflect.get(target, prop);
    },
    set(target, prop, value) {
      if (target.owner !== token) throw touchedError(target, String(prop));
      return Reflect.set(target, prop, value);
    },
  });
}

function touchedError(irp: Irp, prop: string): VerifierError {
  const when = irp.freed ? 'after it was freed' : irp.completed ? 'after it was completed' : 'after it was passed on (IoCallDriver/IoCompleteRequest)';
  // Fix (test/io): a touch after IoFreeIrp is its own rule, as in IoManager.claim.
  return new VerifierError(irp.freed ? 'use-after-free' : 'touch-after-forward', `${describeIrp(irp)} touched ${when}: '${prop}'`);
}

/** The raw IRP behind a view (or the IRP itself). */
export function rawIrp(irp: Irp): Irp {
  return ((irp as unknown as Record<symbol, Irp>)[RAW] ?? irp) as Irp;
}

/** The token a view is bound to, or undefined for a raw IRP. */
export function viewToken(irp: Irp): object | undefined {
  return (irp as unknown as Record<symbol, object | undefined>)[TOKEN];
}
