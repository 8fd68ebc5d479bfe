/** Where this mammoclr package lies and which version it is (recorded in every exported model). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageInfo {
  root: string;
  version: string;
}

let cached: PackageInfo | undefined;

/** The nearest package.json named mammoclr above this module (dist/src/export or src/export). */
export function mammoclrPackage(): PackageInfo {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const path = join(dir, 'package.json');
    if (existsSync(path)) {
      const pkg = JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'mammoclr' && pkg.version) return (cached = { root: dir, version: pkg.version });
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('mammoclr: cannot find its own package.json');
    dir = up;
  }
}
