// The window: a skip link, the sections, the link state, and the current view. Before anything else it
// checks that the agent answers, so a page opened without its sign-in link says so in words, once: no view
// is shown until that first answer, or each of its panels would say the same in a notice of its own.

import { ApiRequestError } from '../../main/api/index.js';
import { ErrorNotice } from './components/error-notice.js';
import { useAgent, useLinkState } from './state/agent-context.js';
import { hrefOf, useRoute, type Route } from './state/router.js';
import { useTheme } from './state/theme.js';
import { useLoad } from './state/use-load.js';
import { AddFolderView } from './views/add-folder-view.js';
import { DashboardView } from './views/dashboard-view.js';
import { EventsView } from './views/events-view.js';
import { FolderView } from './views/folder-view.js';
import { PolicyView } from './views/policy-view.js';
import { QuarantineView } from './views/quarantine-view.js';
import { ScansView } from './views/scans-view.js';
import { SettingsView } from './views/settings-view.js';

const SECTIONS: Array<[Route, string]> = [
  [{ view: 'dashboard' }, 'Folders'],
  [{ view: 'scans' }, 'Scans'],
  [{ view: 'quarantine' }, 'Quarantine'],
  [{ view: 'events' }, 'Event log'],
  [{ view: 'policy' }, 'Policy file'],
  [{ view: 'settings' }, 'Settings'],
];

export function App() {
  useTheme(); // applies the stored choice at start
  const { api } = useAgent();
  const reachable = useLoad(() => api.status({}), [api]);
  const signedOut = reachable.error instanceof ApiRequestError && ['unauthorized', 'forbidden'].includes(reachable.error.code);
  const firstAnswerPending = reachable.value === undefined && reachable.error === null;
  return (
    <div className="shell">
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <header className="top-bar">
        <span className="brand">Strata</span>
        <LinkIndicator />
      </header>
      {!signedOut && <Navigation />}
      <main id="main" tabIndex={-1} aria-busy={firstAnswerPending}>
        {signedOut ? <ErrorNotice error={reachable.error} /> : firstAnswerPending ? null : <CurrentView />}
      </main>
    </div>
  );
}

function Navigation() {
  const route = useRoute();
  const current = route.view === 'folder' || route.view === 'add-folder' ? 'dashboard' : route.view;
  return (
    <nav className="side-nav" aria-label="Sections">
      <ul>
        {SECTIONS.map(([target, label]) => (
          <li key={target.view}>
            <a href={hrefOf(target)} aria-current={current === target.view ? 'page' : undefined}>{label}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function CurrentView() {
  const route = useRoute();
  switch (route.view) {
    case 'dashboard': return <DashboardView />;
    case 'add-folder': return <AddFolderView />;
    case 'folder': return <FolderView key={route.id} id={route.id} />;
    case 'scans': return <ScansView />;
    case 'quarantine': return <QuarantineView />;
    case 'events': return <EventsView {...(route.folder !== undefined ? { folder: route.folder } : {})} />;
    case 'settings': return <SettingsView />;
    case 'policy': return <PolicyView />;
  }
}

function LinkIndicator() {
  const link = useLinkState();
  const words = { connecting: 'Connecting to the agent…', live: 'Connected', reconnecting: 'Agent not answering — retrying' }[link];
  return (
    <span className={`link-state link-${link}`} role="status">
      {words}
    </span>
  );
}
