// Settings: appearance, start at login, signature databases, cold tiers, removable media, event log.

import { ViewHeading } from '../components/view-heading.js';
import { usePolicyDocument } from '../state/use-policy-refs.js';
import { ErrorNotice } from '../components/error-notice.js';
import { AppearanceSettings } from './settings/appearance-settings.js';
import { DesktopSettingsPanel } from './settings/desktop-settings.js';
import { EventRetentionSettings } from './settings/event-retention-settings.js';
import { MediaSettings } from './settings/media-settings.js';
import { SignatureSetSettings } from './settings/signature-set-settings.js';
import { TierSettings } from './settings/tier-settings.js';

export function SettingsView() {
  const policy = usePolicyDocument();
  return (
    <div className="view">
      <ViewHeading>Settings</ViewHeading>
      <AppearanceSettings />
      <DesktopSettingsPanel />
      <ErrorNotice error={policy.error} />
      {policy.value && (
        <>
          <SignatureSetSettings sets={policy.value.signatureSets} onChanged={policy.reload} />
          <TierSettings tiers={policy.value.tiers} onChanged={policy.reload} />
          <MediaSettings media={policy.value.media} signatureSets={policy.value.signatureSets.map((s) => s.name)} onChanged={policy.reload} />
        </>
      )}
      <EventRetentionSettings />
    </div>
  );
}
