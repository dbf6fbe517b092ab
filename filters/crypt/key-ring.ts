// The unlocked key of one vault, held in memory only while unlocked: lock() wipes it (sodium.memzero),
// listeners learn of unlock (pended I/O resumes) and lock (cached file keys are wiped), and an idle timer
// locks the vault again after a configurable time without use.

import type { X25519Identity, X25519Recipient } from '../../main/age/index.js';

export class KeyRing {
  private identity: X25519Identity | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly unlockListeners = new Set<() => void>();
  private readonly lockListeners = new Set<() => void>();

  /** @param autoLockMs idle time before an automatic lock; 0 disables it. */
  constructor(readonly recipient: X25519Recipient, public autoLockMs = 0) {}

  get unlocked(): boolean {
    return this.identity !== null;
  }

  /** The identity, refreshing the idle timer; null while locked. */
  use(): X25519Identity | null {
    if (this.identity !== null) this.armIdleTimer();
    return this.identity;
  }

  unlock(identity: X25519Identity): void {
    if (identity.recipient().toString() !== this.recipient.toString()) throw new Error('this identity does not belong to the vault');
    this.identity?.wipe();
    this.identity = identity;
    this.armIdleTimer();
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

  private armIdleTimer(): void {
    if (this.autoLockMs <= 0) return;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.lock(), this.autoLockMs);
    // An idle timer alone must not keep a CLI process alive.
    this.idleTimer.unref();
  }
}
