#!/usr/bin/env node
// The `strata` command: checks the Node version, then hands over to the compiled CLI in build/.
import { existsSync } from 'node:fs';

const REQUIRED_MAJOR = 22;
const major = Number(process.versions.node.split('.')[0]);
if (!(major >= REQUIRED_MAJOR)) {
  process.stderr.write(
    `strata: needs Node.js ${REQUIRED_MAJOR} or newer, but this is Node.js ${process.versions.node} (${process.execPath}).\n` +
      `Install Node.js ${REQUIRED_MAJOR}+ and put it first on PATH.\n`,
  );
  process.exit(1);
}

const entry = new URL('../build/main/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(`strata: the CLI is not built yet (${entry.pathname} is missing); run \`npm install\` or \`npm run build\` first.\n`);
  process.exit(1);
}

await import(entry.href);
