// The tray icon: its picture and tooltip follow the agent's state, its menu is built from the tray
// model (see tray-model.ts for what each state means).

import { Menu, Tray, nativeImage } from 'electron';
import { join } from 'node:path';
import type { TrayAction, TrayModel } from './tray-model.js';

export class StrataTray {
  private readonly tray: Tray;
  private shown: string | null = null;

  constructor(private readonly iconDir: string, private readonly onAction: (action: TrayAction) => void) {
    this.tray = new Tray(this.icon('stopped'));
    this.tray.on('click', () => onAction('open'));
  }

  update(model: TrayModel): void {
    const key = JSON.stringify(model);
    if (key === this.shown) return;
    this.shown = key;
    this.tray.setImage(this.icon(model.state));
    this.tray.setToolTip(model.tooltip);
    this.tray.setContextMenu(
      Menu.buildFromTemplate(
        model.items.flatMap((item) => [
          ...(item.action === 'quit' ? [{ type: 'separator' as const }] : []),
          { label: item.label, enabled: item.enabled, click: () => this.onAction(item.action) },
        ]),
      ),
    );
  }

  destroy(): void {
    this.tray.destroy();
  }

  private icon(state: TrayModel['state']) {
    return nativeImage.createFromPath(join(this.iconDir, `tray-${state}.png`));
  }
}
