// Checks electron-builder.yml against app-builder-lib's own JSON schema, and that the schema check can fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
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

test('the Electron fuses are set safely: no run-as-node, NODE_OPTIONS or --inspect, the app only from its asar', () => {
  const fuses = loadConfig().electronFuses as Record<string, boolean>;
  assert.deepEqual(
    {
      runAsNode: fuses.runAsNode,
      enableNodeOptionsEnvironmentVariable: fuses.enableNodeOptionsEnvironmentVariable,
      enableNodeCliInspectArguments: fuses.enableNodeCliInspectArguments,
      onlyLoadAppFromAsar: fuses.onlyLoadAppFromAsar,
      enableEmbeddedAsarIntegrityValidation: fuses.enableEmbeddedAsarIntegrityValidation,
      grantFileProtocolExtraPrivileges: fuses.grantFileProtocolExtraPrivileges,
      enableCookieEncryption: fuses.enableCookieEncryption,
    },
    {
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
    },
  );
});

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${path} is not a PNG`);
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR', `${path} has no IHDR chunk first`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test('the app icon and every tray icon exist as PNGs of the sizes the platforms need', () => {
  const c = loadConfig();
  assert.deepEqual(pngSize(join(ROOT, c.icon)), { width: 1024, height: 1024 });
  const tray = (c.extraResources as Array<{ from: string; to: string }>).find((r) => r.to === 'tray');
  assert.ok(tray, 'the tray icons must be shipped as extra resources');
  for (const state of ['protected', 'attention', 'paused', 'stopped']) {
    assert.deepEqual(pngSize(join(ROOT, tray.from, `tray-${state}.png`)), { width: 16, height: 16 });
    assert.deepEqual(pngSize(join(ROOT, tray.from, `tray-${state}@2x.png`)), { width: 32, height: 32 });
  }
});

test('the packaged files contain the Electron entry, its preload and the built GUI', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };
  for (const file of [pkg.main, 'build/app/preload.cjs', 'build/gui/index.html']) {
    assert.ok(existsSync(join(ROOT, file)), `${file} is missing: run npm run build`);
  }
  const excluded = (loadConfig().files as string[]).filter((f) => f.startsWith('!'));
  assert.ok(!excluded.some((f) => f.includes('gui') || f.includes('app/')), 'the GUI and the app must not be excluded');
});

test('the schema check rejects invalid configurations', () => {
  const invalid: Array<[string, Config]> = [
    ['a misspelled option', withChange((c) => (c.directories.outptu = 'dist'))],
    ['an unknown top-level key', withChange((c) => (c.productNmae = 'Strata'))],
    ['a wrong type', withChange((c) => (c.asar = 'sometimes'))],
    ['an option in the wrong section', withChange((c) => (c.win.category = 'Utility'))],
    ['an unknown fuse', withChange((c) => (c.electronFuses.runAsNodee = false))],
  ];
  for (const [what, config] of invalid) {
    assert.notDeepEqual(schemaErrors(config), [], `expected ${what} to be rejected`);
  }
});
