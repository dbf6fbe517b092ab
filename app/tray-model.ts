// What the tray shows, from the agent's status: one state (protected, needs attention, paused, not
// running), a tooltip that says why, and the menu. Pure, so it is tested without Electron.

import type { AgentStatus } from '../main/api/index.js';

export type TrayState = 'protected' | 'attention' | 'paused' | 'stopped';
export type TrayAction = 'open' | 'lock-all' | 'scan-now' | 'pause' | 'resume' | 'quit';

export interface TrayItem {
  action: TrayAction;
  label: string;
  enabled: boolean;
}

export interface TrayModel {
  state: TrayState;
  tooltip: string;
  items: TrayItem[];
}

/** Which tray actions the running agent can carry out. */
export interface TrayCapabilities {
  lockAll: boolean;
  scanNow: boolean;
  pause: boolean;
}

/** Every tray action is an API operation: lockFolder, startScan, pauseProtection / resumeProtection. */
export const AGENT_TRAY_CAPABILITIES: TrayCapabilities = { lockAll: true, scanNow: true, pause: true };

const UNAVAILABLE = ' (not available in this version)';

export function trayModel(status: AgentStatus | null, capabilities: TrayCapabilities, problem: string | null = null): TrayModel {
  const { state, tooltip } = trayState(status, problem);
  const running = status !== null;
  const item = (action: TrayAction, label: string, possible: boolean): TrayItem => ({ action, label: possible ? label : `${label}${UNAVAILABLE}`, enabled: running && possible });
  return {
    state,
    tooltip,
    items: [
      { action: 'open', label: 'Open Strata', enabled: true },
      item('lock-all', 'Lock all', capabilities.lockAll),
      item('scan-now', 'Scan now', capabilities.scanNow),
      status?.pause.paused === true ? item('resume', 'Resume protection', capabilities.pause) : item('pause', 'Pause protection for 1 hour', capabilities.pause),
      { action: 'quit', label: 'Quit Strata', enabled: true },
    ],
  };
}

function trayState(status: AgentStatus | null, problem: string | null): { state: TrayState; tooltip: string } {
  if (status === null) return { state: 'stopped', tooltip: `Strata: protection is not running${problem ? ` — ${problem}` : ''}` };
  if (status.pause.paused) return { state: 'paused', tooltip: `Strata: protection is paused until ${clockTime(status.pause.until!)}; it resumes by itself` };
  const folders = status.folders;
  if (folders.length === 0) return { state: 'attention', tooltip: 'Strata: no folder is protected yet' };
  const troubled = folders.filter(({ runtime }) =>
    runtime.state === 'failed' || runtime.state === 'missing' || runtime.ingest.failed > 0 || runtime.protections.some((p) => p.state === 'failed' || p.state === 'unavailable'));
  if (troubled.length > 0) return { state: 'attention', tooltip: `Strata: ${troubled.map((f) => f.name).join(', ')} need${troubled.length === 1 ? 's' : ''} attention` };
  if (folders.every(({ runtime }) => runtime.state === 'stopped')) return { state: 'paused', tooltip: 'Strata: protection is paused' };
  return { state: 'protected', tooltip: `Strata: ${folders.length} folder${folders.length === 1 ? '' : 's'} protected` };
}

function clockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}
