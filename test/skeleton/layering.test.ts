// Enforces the dependency direction of DESIGN.md §2 over the repository's sources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findViolations, type SourceFile, type Violation } from './layering-rules.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCANNED_DIRS = ['main', 'filters', 'app', 'renderer', 'test', 'bench'];
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const SKIPPED = new Set(['node_modules', 'build', 'dist', '.git']);

function readSources(dir: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (rel: string): void => {
    let entries;
    try {
      entries = readdirSync(path.join(ROOT, rel), { withFileTypes: true });
    } catch {
      return; // a folder that does not exist yet has nothing to break
    }
    for (const entry of entries) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory() && !SKIPPED.has(entry.name)) walk(child);
      else if (entry.isFile() && SOURCE.test(entry.name)) {
        files.push({ path: child, text: readFileSync(path.join(ROOT, child), 'utf8') });
      }
    }
  };
  walk(dir);
  return files;
}

const key = (v: Pick<Violation, 'file' | 'specifier'>): string => `${v.file} -> ${v.specifier}`;

test('the scanner catches each kind of violation in sample sources, and only those', () => {
  const samples: SourceFile[] = [
    { path: 'main/io/a.ts', text: `import { readFileSync } from 'node:fs';\nimport fs from 'fs';` },
    { path: 'main/io/b.ts', text: `export { Instance } from '../fltmgr/instance.js';\nconst p = require('node:path');` },
    { path: 'main/io/c.ts', text: `type S = import('node:fs').Stats;\nimport { lodash } from 'lodash';` },
    {
      path: 'main/io/clean.ts',
      text: `import { Irp } from './irp.js';\n// import fs from 'node:fs';\nconst s = "import x from 'node:fs'";\nexport * from './status.js';`,
    },
    { path: 'main/api/schema.ts', text: `export * from 'node:events';\nimport { z } from 'zod';` },
    { path: 'main/fltmgr/f.ts', text: `import type { Store } from '../store/index.js';\nimport { Irp } from '../io/irp.js';` },
    {
      path: 'filters/crypt/index.ts',
      text:
        `const scan = await import('../scan/engine.js');\nimport { openStore } from '../../main/store/index.js';\n` +
        `import sodium from 'libsodium-wrappers-sumo';\nimport { register } from '../../main/fltmgr/register.js';\nimport { readFile } from 'node:fs/promises';`,
    },
    { path: 'filters/scan/index.ts', text: `import { policy } from '../../main/agent/policy.js';` },
    { path: 'main/volumes/v.ts', text: `import { policy } from '../agent/policy.js';\nimport { BrowserWindow } from 'electron';` },
    {
      path: 'renderer/view.ts',
      text:
        `import { client } from '../main/api/client.js';\nimport { openStore } from '../main/store/index.js';\n` +
        `import type { IpcRenderer } from 'electron/renderer';\nimport { join } from 'path';`,
    },
    { path: 'main/agent/service.ts', text: `import { run } from '../cli/run-cli.js';\nimport { openStore } from '../store/index.js';` },
    { path: 'app/main.ts', text: `import { app } from 'electron';\nimport { resolveDataDir } from '../main/store/data-dir.js';` },
    { path: 'test/cli/x.test.ts', text: `import { runCli } from '../../main/cli/run-cli.js';` },
    { path: 'main/age/armor.ts', text: `import { Buffer } from 'node:buffer';\nimport { concat } from './header.js';\nimport sodium from 'libsodium-wrappers-sumo';` },
    { path: 'main/age/io.ts', text: `import { IoManager } from '../io/index.js';` },
    { path: 'main/fltmgr/g.ts', text: `import { encrypt } from '../age/index.js';` },
    { path: 'filters/scan/quarantine.ts', text: `import { encrypt } from '../../main/age/index.js';` },
    { path: 'main/agent/vault.ts', text: `import { encrypt } from '../age/index.js';` },
  ];

  const found = new Set(findViolations(samples).map(key));
  const expected = new Set([
    'main/io/a.ts -> node:fs',
    'main/io/a.ts -> fs',
    'main/io/b.ts -> ../fltmgr/instance.js',
    'main/io/b.ts -> node:path',
    'main/io/c.ts -> node:fs',
    'main/io/c.ts -> lodash',
    'main/api/schema.ts -> node:events',
    'main/fltmgr/f.ts -> ../store/index.js',
    'filters/crypt/index.ts -> ../scan/engine.js',
    'filters/scan/index.ts -> ../../main/agent/policy.js',
    'main/volumes/v.ts -> ../agent/policy.js',
    'main/volumes/v.ts -> electron',
    'renderer/view.ts -> ../main/store/index.js',
    'renderer/view.ts -> electron/renderer',
    'renderer/view.ts -> path',
    'main/agent/service.ts -> ../cli/run-cli.js',
    'main/age/armor.ts -> node:buffer',
    'main/age/io.ts -> ../io/index.js',
    'main/fltmgr/g.ts -> ../age/index.js',
  ]);
  assert.deepEqual([...found].sort(), [...expected].sort());
});

test('the repository follows the dependency direction of DESIGN.md §2', () => {
  const files = SCANNED_DIRS.flatMap(readSources);
  const paths = new Set(files.map((f) => f.path));
  // Guards against a scan that silently reads nothing.
  for (const known of ['main/store/open-store.ts', 'main/cli/main.ts', 'app/main.ts']) {
    assert.ok(paths.has(known), `the scan did not find ${known}`);
  }
  const violations = findViolations(files);
  assert.deepEqual(
    violations.map((v) => `${v.file}:${v.line} imports '${v.specifier}': ${v.rule}`),
    [],
  );
});
