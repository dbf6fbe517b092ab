// Where the OS mounts removable media: a new folder under one of these is a newly plugged-in medium.

import { userInfo } from 'node:os';

export function defaultMediaRoots(platform: NodeJS.Platform = process.platform, user = safeUser()): string[] {
  if (platform === 'darwin') return ['/Volumes'];
  if (platform === 'win32') return []; // drive letters are not folders to watch; see the agent README
  return user === null ? [] : [`/media/${user}`, `/run/media/${user}`];
}

function safeUser(): string | null {
  try {
    return userInfo().username;
  } catch {
    return null;
  }
}
