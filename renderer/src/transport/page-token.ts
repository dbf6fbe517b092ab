// The API token of the page a headless agent serves. The agent's GUI link carries it in the fragment
// (`/#token=…`), which a browser never sends to any server; the page takes it from there before anything
// else reads the address, removes it from the address bar and the history entry, and keeps it in this
// tab's sessionStorage so that a reload stays signed in. Unlike a cookie, sessionStorage belongs to one
// origin — scheme, host and port — so servers and pages on other loopback ports never see it; it is
// never sent anywhere by the browser on its own, and it goes when the tab closes.

export const TOKEN_STORAGE_KEY = 'strata.apiToken';

/** The token from the address fragment (which then leaves the address), else the one this tab kept; null if neither. */
export function takePageToken(location: Location, history: History, storage: Storage | null): string | null {
  const fresh = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  if (fresh !== null && fresh !== '') {
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    try {
      storage?.setItem(TOKEN_STORAGE_KEY, fresh);
    } catch {
      // storage refused (full, or disabled): the token still works until a reload
    }
    return fresh;
  }
  try {
    return storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/** window.sessionStorage, or null where the browser refuses it (its getter throws when storage is disabled). */
export function tabStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
