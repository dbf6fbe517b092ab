// Checks electron-builder.yml against app-builder-lib's own JSON schema, and that the schema check can fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import yaml from 'js-yaml';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const require = createRequire(import.meta.url);

// The schema electron-builder validates its configuration with, from the installed version.
const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
// app-builder-lib validates with coerceTypes; leaving it off here is stricter, never looser.
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

type Config = Record<string, any>;

function loadConfig(): Config {
  const parsed = yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'));
  assert.ok(parsed && typeof parsed === 'object' && !Array.isArray(parsed), 'electron-builder.yml must be a YAML mapping');
  return parsed as Config;
}

function schemaErrors(config: unknown): string[] {
  if (validate(config)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

function withChange(change: (c: Config) => void): Config {
  const copy = structuredClone(loadConfig());
  change(copy);
  return copy;
}

test('electron-builder.yml is valid against app-builder-lib/scheme.json', () => {
  assert.deepEqual(schemaErrors(loadConfig()), []);
});

test('electron-builder.yml has the identity, output, files and targets Strata ships with', () => {
  const c = loadConfig();
  assert.equal(c.appId, 'dev.strata.app');
  assert.equal(c.productName, 'Strata');
  assert.equal(c.directories.output, 'dist');
  // electron-builder skips its buildResources folder when collecting files: it must not be tsc's output.
  assert.notEqual(c.directories.buildResources ?? 'build', 'build');
  assert.ok(c.files.includes('build/**'));
  assert.ok(
    (c.asarUnpack as string[]).some((pattern) => pattern.includes('better-sqlite3')),
    'the better-sqlite3 native module must be unpacked from the asar',
  );
  assert.deepEqual(c.linux.target, ['AppImage', 'deb']);
  assert.deepEqual(c.win.target, ['nsis']);
  assert.deepEqual(c.mac.target, ['dmg']);
});

test("package.json's main entry is inside the packaged files", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };
  assert.match(pkg.main, /^build\/app\//);
});

test('the schema check rejects invalid configurations', () => {
  const invalid: Array<[string, Config]> = [
    ['a misspelled option', withChange((c) => (c.directories.outptu = 'dist'))],
    ['an unknown top-level key', withChange((c) => (c.productNmae = 'Strata'))],
    ['a wrong type', withChange((c) => (c.asar = 'sometimes'))],
    ['an option in the wrong section', withChange((c) => (c.win.category = 'Utility'))],
  ];
  for (const [what, config] of invalid) {
    assert.notDeepEqual(schemaErrors(config), [], `expected ${what} to be rejected`);
  }
});
