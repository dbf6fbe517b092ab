// Runs a command body on the folder opened with the HSM, collecting the filter's events, and always
// closes it. What recovery did to an earlier crash is told on stderr, so it is never silent. In a folder
// with a vault, plaintext is kept out of the tier (encrypted-folder-gate.ts).

import type { CliContext } from '../../command.js';
import type { HsmEvent } from '../../../../filters/hsm/index.js';
import { contentGateFor } from './encrypted-folder-gate.js';
import { openHsmSession, type HsmSession } from './hsm-session.js';

export async function withHsmSession<T>(
  ctx: CliContext,
  folder: string,
  body: (session: HsmSession, events: HsmEvent[]) => Promise<T>,
  onEvent?: (event: HsmEvent) => void,
): Promise<T> {
  const events: HsmEvent[] = [];
  const session = await openHsmSession({
    dataDir: ctx.dataDir,
    folder,
    contentGate: await contentGateFor(folder),
    events: (event) => {
      events.push(event);
      onEvent?.(event);
      if (event.kind === 'recovered') ctx.io.writeErr(`strata: recovered an interrupted ${event.journal} of ${event.path}: ${event.action} (${event.detail})\n`);
      if (event.kind === 'warning') ctx.io.writeErr(`strata: warning: ${event.message}\n`);
    },
  });
  try {
    return await body(session, events);
  } finally {
    await session.close();
  }
}
