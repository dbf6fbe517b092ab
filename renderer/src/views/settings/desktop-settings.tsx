// Start at login: a desktop-app setting, so in a plain browser it says where to find it.

import { Toggle } from '../../components/field.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useAgent } from '../../state/agent-context.js';
import { useAction, useLoad } from '../../state/use-load.js';

export function DesktopSettingsPanel() {
  const { desktop } = useAgent();
  return (
    <section className="panel" aria-labelledby="desktop-heading">
      <h2 id="desktop-heading">Start at login</h2>
      {desktop === null ? (
        <p className="muted">This page is served by a headless agent. Starting Strata at login is set in the Strata desktop app.</p>
      ) : (
        <StartAtLogin />
      )}
    </section>
  );
}

function StartAtLogin() {
  const { desktop } = useAgent();
  const settings = useLoad(() => desktop!.getSettings(), [desktop]);
  const change = useAction(async (enabled: boolean) => {
    const next = await desktop!.setStartAtLogin(enabled);
    settings.update(() => next);
  });
  if (settings.value === undefined) return <ErrorNotice error={settings.error} />;
  return (
    <>
      <Toggle
        label="Start Strata when I log in"
        checked={settings.value.startAtLogin}
        onChange={(enabled) => void change.run(enabled)}
        hint="Protection then runs from the tray without opening this window."
      />
      <ErrorNotice error={change.error} />
    </>
  );
}
