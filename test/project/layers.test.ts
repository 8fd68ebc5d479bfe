/**
 * The layering of README.md's Layout section, checked on every import in src/: a folder imports
 * only from folders below it, never from one beside it on the same level or above it. A new
 * folder fails here until it is given its place in LAYERS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));

/**
 * From the bottom up; a folder may import from the levels below its own. eval (metrics from
 * labels and scores) needs nothing but tensor, so it sits under train, which evaluates each fold.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['tensor'],
  ['nn', 'augment', 'optim', 'eval'],
  ['distributed'],
  ['train', 'explain', 'export'],
  ['report', 'viewer'], // viewer: the browser page (data readers, explain's colours; bundled by cli, never the addon)
  ['cli'],
];

/** Beside the stack: they use only tensor, and every folder above tensor may use them. */
export const BESIDE: readonly string[] = [
  'data', // readers, preprocessing, dataset adapters, splits, phantoms, patches
  'io', // atomic file writes (their errors come from tensor's write-error)
];

/**
 * Imports that break the order on purpose, as 'from -> to' with the reason. Empty: keep it so,
 * and write the reason beside any entry added.
 */
export const EXCEPTIONS: readonly string[] = [];

const levelOf = (folder: string): number => LAYERS.findIndex((l) => l.includes(folder));

export function mayImport(from: string, to: string): boolean {
  if (from === to) return true;
  if (EXCEPTIONS.includes(`${from} -> ${to}`)) return true;
  if (BESIDE.includes(from)) return to === 'tensor';
  if (BESIDE.includes(to)) return from !== 'tensor';
  return levelOf(to) < levelOf(from);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [p] : [];
  });
}

// Static imports and re-exports (`import ... from`, `export ... from`, bare `import '...'`) and
// dynamic `import('...')`; type-only imports count, as a type ties a layer to another as well.
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;

export function importsOf(text: string): string[] {
  return [...text.matchAll(IMPORT)].map((m) => m[1]!);
}

/** The top folder of src/ a file lies in ('' for src/index.ts and other files at the top). */
function folderOf(path: string): string {
  const parts = relative(SRC, path).split(sep);
  return parts.length > 1 ? parts[0]! : '';
}

interface Edge {
  file: string;
  spec: string;
  from: string;
  to: string;
}

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file);
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      const to = folderOf(target);
      out.push({ file: relative(SRC, file), spec, from, to });
    }
  }
  return out;
}

test('every folder of src/ has its place in the layers', () => {
  const folders = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
  const placed = new Set([...LAYERS.flat(), ...BESIDE]);
  assert.deepEqual(folders.filter((f) => !placed.has(f)), [], 'give each new folder a level in LAYERS (or a place in BESIDE)');
});

test('no folder of src/ imports from a folder beside or above it', () => {
  const all = edges();
  assert.ok(all.length > 100, `found only ${all.length} relative imports: is the pattern still right?`);
  // src/index.ts is the package entry: it may gather every part.
  const wrong = all.filter((e) => e.from !== '' && e.to !== '' && !mayImport(e.from, e.to));
  assert.deepEqual(wrong.map((e) => `src/${e.file}: ${e.from} -> ${e.to} ('${e.spec}')`), []);
  // Only the entry lives at the top of src/; nothing imports it.
  assert.deepEqual(all.filter((e) => e.to === '' && e.from !== '').map((e) => `src/${e.file} imports ${e.spec}`), []);
});

test('every listed exception is still needed', () => {
  const used = new Set(edges().map((e) => `${e.from} -> ${e.to}`));
  assert.deepEqual(EXCEPTIONS.filter((x) => !used.has(x)), []);
});

test('the rules read as the README says', () => {
  assert.ok(mayImport('train', 'eval'));
  assert.ok(mayImport('cli', 'report'));
  assert.ok(mayImport('explain', 'data'));
  assert.ok(mayImport('data', 'tensor'));
  assert.ok(!mayImport('data', 'nn'));
  assert.ok(!mayImport('tensor', 'io'));
  assert.ok(!mayImport('train', 'cli'));
  assert.ok(!mayImport('train', 'explain'), 'peers on one level stay apart');
  assert.ok(!mayImport('eval', 'train'));
  assert.deepEqual(importsOf(`import { a } from '../x.js';\nexport * from "./y.js";\nimport './z.js';\nconst m = await import('../w.js');\nimport type { T } from '../t.js';`), ['../x.js', './y.js', './z.js', '../w.js', '../t.js']);
});
