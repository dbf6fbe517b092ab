// Hash routes ("#/folders/<id>"): they work the same under app://strata/ and the agent's loopback page,
// survive a reload, and need no server-side routing.

import { useSyncExternalStore } from 'react';

export type Route =
  | { view: 'dashboard' }
  | { view: 'add-folder' }
  | { view: 'folder'; id: string }
  | { view: 'scans' }
  | { view: 'quarantine' }
  | { view: 'events'; folder?: string }
  | { view: 'settings' }
  | { view: 'policy' };

const SIMPLE: Record<string, Route> = {
  '': { view: 'dashboard' },
  add: { view: 'add-folder' },
  scans: { view: 'scans' },
  quarantine: { view: 'quarantine' },
  events: { view: 'events' },
  settings: { view: 'settings' },
  policy: { view: 'policy' },
};

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter((p) => p !== '').map(decodeURIComponent);
  if (parts[0] === 'folders' && parts[1] !== undefined) return { view: 'folder', id: parts[1] };
  if (parts[0] === 'events') {
    const folder = new URLSearchParams(query).get('folder');
    return folder === null ? { view: 'events' } : { view: 'events', folder };
  }
  return SIMPLE[parts[0] ?? ''] ?? { view: 'dashboard' };
}

export function hrefOf(route: Route): string {
  switch (route.view) {
    case 'dashboard': return '#/';
    case 'add-folder': return '#/add';
    case 'folder': return `#/folders/${encodeURIComponent(route.id)}`;
    case 'events': return route.folder === undefined ? '#/events' : `#/events?folder=${encodeURIComponent(route.folder)}`;
    default: return `#/${route.view}`;
  }
}

export function navigate(route: Route): void {
  window.location.hash = hrefOf(route);
}

let navigated = false;

/** False until the user moves from the view the page opened on (so a fresh page starts at its skip link). */
export function hasNavigated(): boolean {
  return navigated;
}

// The shell always watches the route, so every move between views passes through here.
const watchHash = (notify: () => void) => {
  const onChange = () => {
    navigated = true;
    notify();
  };
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

export function useRoute(): Route {
  const hash = useSyncExternalStore(watchHash, () => window.location.hash);
  return parseRoute(hash);
}
