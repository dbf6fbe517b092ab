// `strata vault unlock` in a one-process-per-command CLI: the unlocked identity is kept in a session file
// in the data dir (folder 0700, file 0600, written atomically) with an expiry; later commands read it, and
// `strata vault lock`, the agent's lock of the folder, the expiry or a reboot ends it. The trade-off:
// while the session lasts the key is on disk, readable by the same user (and root), as an ssh-agent
// socket would be; see filters/crypt/README.md. The store itself is main/agent/crypt-sessions (the agent
// sweeps ended sessions and ends a folder's session when it locks the folder); every session command
// sweeps every ended session first.

export { endSession, loadSession, saveSession } from '../../../agent/crypt-sessions/session-store.js';

export const DEFAULT_SESSION_MINUTES = 15;
