// The app:// scheme: registered as a standard, secure origin before the app is ready, then served from
// the built GUI (see app-protocol-answer.ts for the rules).

import { protocol } from 'electron';
import { answerAppRequest } from './app-protocol-answer.js';
import { APP_SCHEME } from './trusted-sender.js';

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function serveAppScheme(guiRoot: string | undefined): void {
  protocol.handle(APP_SCHEME, (request) => answerAppRequest(request.url, request.method, guiRoot));
}
