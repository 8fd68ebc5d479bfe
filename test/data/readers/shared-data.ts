/** Locates ../shared/data (read-only real test data) relative to the repo root; undefined when absent. */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url)); // dist/test/data/readers
const candidates = [resolve(process.cwd(), '../shared/data'), resolve(here, '../../../../../shared/data')];

export function sharedDir(sub: string): string | undefined {
  for (const c of candidates) if (existsSync(resolve(c, sub))) return resolve(c, sub);
  return undefined;
}
