// Reads Strata's name and version from package.json, the single source of the version number.
import { readFileSync } from 'node:fs';

// This file compiles to build/main/cli/, three levels below the package root.
const PACKAGE_JSON = new URL('../../../package.json', import.meta.url);

export interface PackageInfo {
  readonly name: string;
  readonly version: string;
}

export function readPackageInfo(): PackageInfo {
  const pkg = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as Partial<PackageInfo>;
  if (typeof pkg.version !== 'string') throw new Error(`no version in ${PACKAGE_JSON.pathname}`);
  return { name: pkg.name ?? 'strata', version: pkg.version };
}
