/** No git conflict marker is left anywhere in the project's own files (a merge half done). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SKIP = new Set(['node_modules', 'dist', 'build', '.git']);
const MARKER = /^(<{7}( |$)|={7}$|>{7}( |$))/m;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name) || name.startsWith('mammoclr-')) return [];
    const p = join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) return files(p);
    return s.size < 4 * 2 ** 20 && /\.(ts|mjs|js|cc|h|md|json|sh|gyp|yml|yaml|txt|py)$|^run$/.test(name) ? [p] : [];
  });
}

test('no conflict markers in the project tree', () => {
  const found = files(ROOT).filter((p) => MARKER.test(readFileSync(p, 'utf8'))).map((p) => relative(ROOT, p));
  assert.deepEqual(found, []);
});

test('the marker pattern finds a marker and ignores look-alikes', () => {
  assert.ok(MARKER.test('a\n<<<<<<< HEAD\nb'));
  assert.ok(MARKER.test('a\n=======\nb'));
  assert.ok(MARKER.test('>>>>>>> nproc'));
  assert.ok(!MARKER.test('a ======= b\n<<<<<<<<< x'));
});
