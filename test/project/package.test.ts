/**
 * The package as a user gets it: `npm pack`, unpacked into an empty project's node_modules with
 * its dependencies beside it, then every `exports` entry imported by name from a fresh node. A
 * file that `files` leaves out, or an entry pointing at nothing, fails here and nowhere else.
 * The install step (building the addon, minutes) is replaced by copying this checkout's build.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  dependencies: Record<string, string>;
  exports: Record<string, string | { types: string; default: string }>;
  scripts: Record<string, string>;
};
const ENTRIES = Object.keys(PKG.exports).filter((k) => k !== './package.json');
/** One name each entry must export: what a user of that part reaches for first. */
const LANDMARK: Record<string, string[]> = {
  '.': ['tensor', 'resnet', 'Lars', 'twoViews', 'prepareDataset', 'initProcessGroup', 'pretrain', 'rocAuc', 'gradCam'],
  './tensor': ['tensor', 'F', 'autocast', 'tidy'],
  './nn': ['resnet', 'ntXent', 'LinearClassifier'],
  './data': ['prepareDataset', 'loadPreparedDataset', 'readImage', 'loadMias', 'splitByPatient'],
  './train': ['pretrain', 'trainLinearClassifier', 'crossValidate'],
  './eval': ['rocAuc', 'delongAuc', 'stratifiedBootstrapCi'],
  './explain': ['gradCam', 'pointingGame', 'tsne'],
  './distributed': ['initProcessGroup', 'distributedBackends', 'GradientReducer'],
};

function run(cmd: string, args: string[], cwd: string, timeout = 60_000): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, MAMMOCLR_NUM_THREADS: '1' } });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}${r.signal ? ` on ${r.signal}` : ''}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

const specifier = (entry: string): string => (entry === '.' ? PKG.name : `${PKG.name}/${entry.slice(2)}`);

test('the packed package installs into an empty project and every exports entry imports by name', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'mammoclr-pack-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  // --ignore-scripts: prepack would recompile the whole project; the tests run on a fresh build.
  const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT))[0] as { filename: string; files: { path: string }[] };
  const files = packed.files.map((f) => f.path);
  // onnx.proto is data the exporter reads at run time (ONNX's schema), not a source to compile.
  const runtimeData = new Set(['src/export/onnx.proto']);
  assert.deepEqual(files.filter((f) => /^(dist\/(test|bench)|src|test|build|node_modules)\//.test(f) && !runtimeData.has(f)), [], 'tests, sources and builds stay out of the package');
  for (const f of runtimeData) assert.ok(files.includes(f), `${f} is read at run time and must be packed`);
  for (const entry of ENTRIES) {
    const target = PKG.exports[entry] as { types: string; default: string };
    for (const path of [target.types, target.default]) assert.ok(files.includes(path.slice(2)), `${entry}: ${path} is not in the package`);
  }

  const project = join(work, 'project');
  const installed = join(project, 'node_modules', PKG.name);
  mkdirSync(installed, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('tar', ['-xzf', join(work, packed.filename), '-C', installed, '--strip-components=1'], work);
  // The declared dependencies only: one the code uses but package.json does not name fails to resolve.
  for (const dep of Object.keys(PKG.dependencies)) {
    mkdirSync(dirname(join(project, 'node_modules', dep)), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', dep), join(project, 'node_modules', dep), 'dir');
  }
  mkdirSync(join(installed, 'build', 'Release'), { recursive: true });
  copyFileSync(join(ROOT, 'build', 'Release', 'mammoclr.node'), join(installed, 'build', 'Release', 'mammoclr.node'));

  // The install script runs from the packed files and, with an addon newer than the sources, builds nothing.
  assert.match(PKG.scripts['install'] ?? '', /build-native\.mjs --if-stale/);
  assert.equal(run('sh', ['-c', PKG.scripts['install']!], installed, 20_000).trim(), '');

  const consumer = join(project, 'consumer.mjs');
  writeFileSync(
    consumer,
    `import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const names = {};
for (const s of ${JSON.stringify(ENTRIES.map(specifier))}) names[s] = Object.keys(await import(s)).sort();
const root = await import('${PKG.name}');
const sum = root.tidy(() => root.tensor([1, 2, 3.5], [3]).sum().item());
let deep;
try { await import('${PKG.name}/dist/src/tensor/index.js'); deep = 'imported'; } catch (e) { deep = e.code; }
const addon = readFileSync('/proc/self/maps', 'utf8').split('\\n').find((l) => l.endsWith('mammoclr.node'))?.split(/\\s+/).at(-1);
const version = createRequire(import.meta.url)('${PKG.name}/package.json').version;
console.log(JSON.stringify({ names, sum, deep, addon, version }));
`,
  );
  const out = JSON.parse(run(process.execPath, [consumer], project).trim().split('\n').at(-1)!);
  for (const entry of ENTRIES) {
    const got: string[] = out.names[specifier(entry)];
    const local = Object.keys(await import(pathToFileURL(join(ROOT, (PKG.exports[entry] as { default: string }).default)).href)).sort();
    assert.deepEqual(got, local, `${specifier(entry)} exports what this checkout's build does`);
    for (const name of LANDMARK[entry] ?? []) assert.ok(got.includes(name), `${specifier(entry)} exports ${name}`);
  }
  assert.equal(out.sum, 6.5);
  assert.equal(out.deep, 'ERR_PACKAGE_PATH_NOT_EXPORTED', 'files outside the exports map stay private');
  assert.equal(out.addon, join(installed, 'build', 'Release', 'mammoclr.node'), 'the package loads its own addon');
  assert.equal(out.version, JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);

  // The types entries resolve for a TypeScript user (NodeNext, as Node resolves the package).
  writeFileSync(
    join(project, 'typed.ts'),
    `import { resnet, tensor, rocAuc } from '${PKG.name}';
import { F } from '${PKG.name}/tensor';
import { pretrainDefaults } from '${PKG.name}/train';
const auc: number = rocAuc([0, 1], [0.2, 0.9]);
const depth: 18 | 34 | 50 = resnet(18).config.depth;
export const used = [auc, depth, F.relu, tensor, pretrainDefaults().epochs];
`,
  );
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['typed.ts'] }));
  run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], project);

  // The README's library example runs as printed, from the README the package ships.
  const readme = readFileSync(join(installed, 'README.md'), 'utf8');
  const example = /## Using mammoclr as a library\n[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(example, 'the README has a js example under "Using mammoclr as a library"');
  writeFileSync(join(project, 'readme-example.mjs'), example);
  const printed = run(process.execPath, ['readme-example.mjs'], project);
  const losses = [...printed.matchAll(/step \d: NT-Xent loss (\S+)/g)].map((m) => Number(m[1]));
  assert.equal(losses.length, 3, printed);
  // 16 images, 32 views: an untrained encoder's loss sits near ln(31) = 3.43.
  for (const l of losses) assert.ok(Math.abs(l - Math.log(31)) < 0.3, `NT-Xent ${l}`);
  assert.match(printed, /ROC AUC 0\.75\n/);

  // The command-line tool works from the package too.
  assert.match(run(process.execPath, [join(installed, 'bin', 'mammoclr.js'), '--help'], project), /prepare/);
  assert.ok(existsSync(join(installed, 'native', 'src', 'engine.cc')), 'the addon sources ship for the install build');
});
