import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPreparedDataset, type PrepareReport } from '../../src/data/cache/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..'); // dist/test/cli -> repo
const bin = join(root, 'bin', 'mammoclr.js');

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

test('mammoclr prepare phantom: end to end, two sizes, progress on stderr only', async () => {
  const out = await mkdtemp(join(tmpdir(), 'mammoclr-cli-prepare-'));
  const r = await run(['prepare', 'phantom', '2', '--out', out, '--size', '32', '--size', '16', '--seed', '7', '--workers', '2', '--name', 'tiny']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /prepared 4 of 4 images of tiny at 16, 32 px/);
  assert.match(r.stdout, /tiny-report\.json/);
  assert.doesNotMatch(r.stdout, /prepare: \d+\/4/);
  assert.match(r.stderr, /prepare: 4\/4 images \(100 %\)/); // not a TTY: plain lines
  for (const size of [16, 32]) {
    const ds = await loadPreparedDataset(join(out, `tiny-${size}.safetensors`));
    try {
      assert.deepEqual(ds.images.shape, [4, 1, size, size]);
      assert.deepEqual(ds.meta.phantom, { seed: 7, patients: 2, renderSize: 256 });
      assert.deepEqual(ds.records.map((x) => x.id), ['phantom-0-L', 'phantom-0-R', 'phantom-1-L', 'phantom-1-R']);
    } finally {
      ds.images.dispose();
    }
  }
  const report = JSON.parse(await readFile(join(out, 'tiny-report.json'), 'utf8')) as PrepareReport;
  assert.equal(report.status, 'ok');
  assert.equal(report.counts.pectoralRemoved, undefined, 'keep is the default');
});

test('mammoclr prepare --pectoral suppress: recorded in the file and counted in the summary', async () => {
  const out = await mkdtemp(join(tmpdir(), 'mammoclr-cli-prepare-'));
  const r = await run(['prepare', 'phantom', '2', '--out', out, '--size', '32', '--seed', '7', '--workers', '1', '--name', 'pec', '--pectoral', 'suppress']);
  assert.equal(r.code, 0, r.stderr);
  const ds = await loadPreparedDataset(join(out, 'pec-32.safetensors'));
  try {
    assert.equal(ds.meta.preprocess.pectoral, 'suppress');
    // Phantoms are craniocaudal views, which have no pectoral wedge: nothing is removed.
    assert.deepEqual(ds.records.map((x) => x.pectoralRemoved), [false, false, false, false]);
    assert.match(r.stdout, /pectoral muscle found and removed on 0 of 4 images/);
  } finally {
    ds.images.dispose();
  }
});

test('mammoclr prepare: bad options give one clear line and exit code 1', async () => {
  const cases: [string[], RegExp][] = [
    [['prepare', 'nope', 'x', '--out', 'o'], /unknown adapter "nope"; valid adapters: mias, cbis-ddsm, inbreast, vindr, kau, folder, csv, unlabeled, phantom/],
    [['prepare', 'phantom', '2', '--out', 'o', '--size', '8'], /--size must be at least 16/],
    [['prepare', 'phantom', '2', '--out', 'o', '--size', '2048'], /--size must be at most 1024/],
    [['prepare', 'phantom', '2', '--size', '32'], /--out <dir> is required/],
    [['prepare', 'phantom', '2', '--out', 'o', '--name', '../x'], /--name may hold only/],
    [['prepare', 'mias', join(root, 'no-such-dir'), '--out', 'o'], /no such file or folder/],
    [['prepare', 'phantom', '2', '--out', 'o', '--pectoral', 'cut'], /--pectoral must be keep or suppress, got "cut"/],
  ];
  // In parallel: each spawn mostly waits on loading the CLI.
  const results = await Promise.all(cases.map(([args]) => run(args)));
  results.forEach((r, i) => {
    const [args, message] = cases[i]!;
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, message);
  });
});

test('mammoclr prepare of an empty folder says no images were found, with no 0/0 progress line', async () => {
  const empty = await mkdtemp(join(tmpdir(), 'mammoclr-cli-empty-'));
  const out = join(empty, 'out');
  const [folder, cbis] = await Promise.all([run(['prepare', 'folder', empty, '--out', out]), run(['prepare', 'cbis-ddsm', empty, '--out', out])]);
  assert.equal(folder.code, 1);
  assert.equal(folder.stderr.trim(), `mammoclr: no images found in ${empty}`);
  // The adapter's complaint explains the empty listing.
  assert.equal(cbis.code, 1);
  assert.match(cbis.stderr, new RegExp(`no images found in ${empty} \\(1 adapter problem\\(s\\), first: .*case_description`));
  assert.doesNotMatch(folder.stderr + cbis.stderr, /NaN|0\/0/);
});
