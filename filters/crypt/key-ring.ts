// The unlocked key of one vault, held in memory only while unlocked: lock() wipes it (sodium.memzero),
// listeners learn of unlock (pended I/O resumes) and lock (cached file keys are wiped), and an idle timer
// locks the vault again after a configurable time without use. Use is recorded on every read (touch()), so
// it only notes the time: the timer, when it fires, re-arms itself for whatever idle time is left.

import type { X25519Identity, X25519Recipient } from '../../main/age/index.js';

export class KeyRing {
  private identity: X25519Identity | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  /** Date.now() of the last use: the vault locks once autoLockMs have passed since. */
  private lastUse = 0;
  private readonly unlockListeners = new Set<() => void>();
  private readonly lockListeners = new Set<() => void>();

  /** @param autoLockMs idle time before an automatic lock; 0 disables it. */
  constructor(readonly recipient: X25519Recipient, public autoLockMs = 0) {}

  get unlocked(): boolean {
    return this.identity !== null;
  }

  /** The identity, refreshing the idle timer; null while locked. */
  use(): X25519Identity | null {
    this.touch();
    return this.identity;
  }

  /**
   * A use of the vault that needs no identity (a file key unwrapped earlier was used): the idle time starts
   * again. Cheap enough for every read: it records the time, and arms the timer only when none is armed.
   */
  touch(): void {
    if (this.identity === null) return;
    this.lastUse = Date.now();
    if (this.idleTimer === null) this.armIdleTimer(this.autoLockMs);
  }

  unlock(identity: X25519Identity): void {
    if (identity.recipient().toString() !== this.recipient.toString()) throw new Error('this identity does not belong to the vault');
    this.identity?.wipe();
    this.identity = identity;
    this.touch();
    for (const listener of [...this.unlockListeners]) listener();
  }

  lock(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const identity = this.identity;
    this.identity = null;
    identity?.wipe();
    for (const listener of [...this.lockListeners]) listener();
  }

  onUnlock(listener: () => void): () => void {
    this.unlockListeners.add(listener);
    return () => this.unlockListeners.delete(listener);
  }

  onLock(listener: () => void): () => void {
    this.lockListeners.add(listener);
    return () => this.lockListeners.delete(listener);
  }

  private armIdleTimer(delayMs: number): void {
    if (this.autoLockMs <= 0) return;
    this.idleTimer = setTimeout(() => this.idle(), delayMs);
    // An idle timer alone must not keep a CLI process alive.
    this.idleTimer.unref();
  }

  /** The timer fired: lock if nothing used the vault for autoLockMs, else wait for the rest of it. */
  private idle(): void {
    this.idleTimer = null;
    if (this.identity === null || this.autoLockMs <= 0) return;
    const left = this.lastUse + this.autoLockMs - Date.now();
    if (left > 0) this.armIdleTimer(left);
    else this.lock();
  }
}
