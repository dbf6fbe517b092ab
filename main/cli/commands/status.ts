// `strata status`: where the data lives, the database schema version, and the runtime.
import { withStore } from '../with-store.js';
import type { LeafCommand } from '../command.js';
import { readPackageInfo } from '../package-info.js';

export const statusCommand: LeafCommand = {
  name: 'status',
  summary: 'show the data dir, database schema version and runtime versions',
  run(ctx) {
    return withStore(ctx.dataDir, (store) => {
      const data = {
        strataVersion: readPackageInfo().version,
        dataDir: ctx.dataDir,
        database: store.dbPath,
        schemaVersion: store.schemaVersion,
        nodeVersion: process.versions.node,
        platform: `${process.platform}-${process.arch}`,
      };
      const text = [
        `Strata ${data.strataVersion}`,
        `Data dir:        ${data.dataDir}`,
        `Database:        ${data.database}`,
        `Schema version:  ${data.schemaVersion}`,
        `Node:            ${data.nodeVersion} (${data.platform})`,
      ].join('\n');
      return { data, text };
    });
  },
};
