// `experiment` with a "detection" section on a small phantom set (32 images prepared at 64 and
// 128 px, ResNet-18 of width 4, 32 px windows at 16 px input, 2 folds): a grid of 2 cells (the
// resolution axis) writes summary.md / .csv / .json with a row per cell, a rerun computes
// nothing, a lost cell is recomputed alone, `detect` on a grid's pretraining folder gives the
// cell's numbers, and bad configs are refused naming the file and the key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DETECTION_TABLE_COLUMNS } from '../../src/train/detection-experiment.js';
import { EXAMPLE_DETECTION_EXPERIMENT } from '../../src/cli/commands/experiment.js';
import { cli } from './run-cli.js';
import { engineInfo } from '../../src/tensor/index.js';

const dir = mkdtempSync(join(tmpdir(), 'mammoclr-experiment-'));
const out = join(dir, 'grid');
test.after(() => rmSync(dir, { recursive: true, force: true }));

const GRID = {
  data: ['data/phantom-64.safetensors', 'data/phantom-128.safetensors'],
  folds: 2,
  seed: 1,
  encoder: { arch: 'resnet18', width: 4 },
  pretrain: { epochs: 1, temperature: 0.5, batchSize: 16, lr: 0.5, warmupEpochs: 0 },
  fractions: 1,
  bf16: false,
  detection: { patchSize: 32, patchInput: 16, patches: 64, negatives: 200, hardNegatives: 20, baselines: false },
  out: 'grid',
};

function config(name: string, c: object): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(c));
  return path;
}

const PROBABILITIES = ['majority', 'patchAuc', 'patchAucLow', 'patchAucHigh', 'maxAuc', 'maxAucLow', 'maxAucHigh', 'topKMeanAuc', 'topKMeanAucLow', 'topKMeanAucHigh', 'bilateralAuc', 'bilateralAucLow', 'bilateralAucHigh',
  'attentionMilAuc', 'attentionMilAucLow', 'attentionMilAucHigh', 'maxAucWomenLow', 'maxAucWomenHigh', 'topKMeanAucWomenLow', 'topKMeanAucWomenHigh',
  'bilateralAucWomenLow', 'bilateralAucWomenHigh', 'attentionMilAucWomenLow', 'attentionMilAucWomenHigh', 'topLocationRate', 'topLocationLow', 'topLocationHigh', 'topLocationChance'];

test('prepare phantoms at 64 and 128 px', () => {
  const r = cli('prepare', 'phantom', '16', '--out', join(dir, 'data'), '--size', '64', '--size', '128', '--lesion-scale', '3', '--no-progress');
  assert.equal(r.status, 0, r.err);
});

test('a detection grid of 2 cells writes summary.md, .csv and .json with a row per cell', () => {
  const r = cli('experiment', config('grid.json', GRID));
  assert.equal(r.status, 0, r.err);
  assert.equal(r.err.match(/^pretraining /gm)?.length, 2, r.err);
  assert.equal(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).device, 'cpu', 'the grid records where it ran');
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  assert.equal(summary.grid, 'detection');
  // The resolution comes from each file.
  assert.deepEqual(summary.resolutions.map((x: { size: number }) => x.size), [64, 128]);
  assert.deepEqual(summary.columns, DETECTION_TABLE_COLUMNS);
  assert.equal(summary.rows.length, 2);
  assert.deepEqual(summary.rows.map((x: { key: string }) => x.key), ['res-64_win-32-16_tau-0.5_epochs-1_labels-1', 'res-128_win-32-16_tau-0.5_epochs-1_labels-1']);
  for (const row of summary.rows) {
    assert.deepEqual([row.method, row.patchSize, row.patchInput, row.temperature, row.epochs, row.fraction, row.n, row.positives], ['pretrained', 32, 16, 0.5, 1, 1, 32, 16]);
    for (const k of PROBABILITIES) assert.ok(typeof row[k] === 'number' && row[k] >= 0 && row[k] <= 1, `${row.key} ${k} = ${row[k]}`);
    assert.ok(row.maxAucLow <= row.maxAuc && row.maxAuc <= row.maxAucHigh);
    assert.ok(row.patchAucLow <= row.patchAuc && row.patchAuc <= row.patchAucHigh);
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'cells', `${row.key}.json`), 'utf8')), row);
  }
  const text = readFileSync(join(out, 'summary.md'), 'utf8');
  const [main, bySubgroup] = text.split('## Image AUC by kind of finding and by density, bilateral score');
  const md = main!.trim().split('\n').filter((l) => l.startsWith('|'));
  assert.equal(md.length, 2 + 2);
  assert.equal(md[0], `| ${DETECTION_TABLE_COLUMNS.join(' | ')} |`);
  // The subgroup table: a row per cell, a column per kind of finding and density, each an AUC the cell holds.
  const sub = bySubgroup!.trim().split('\n').filter((l) => l.startsWith('|'));
  assert.equal(sub.length, 2 + 2);
  const groups = summary.rows[0].subgroups.filter((g: { aggregation: string }) => g.aggregation === 'bilateral').flatMap((g: { groups: unknown[] }) => g.groups);
  assert.ok(groups.length >= 2, 'phantom kinds of finding');
  assert.equal(sub[0]!.split(' | ').length, 1 + groups.length);
  const first = groups[0] as { group: string; positives: number; auc: { value: number } };
  assert.ok(sub[0]!.includes(`${first.group} (${first.positives})`));
  assert.match(sub[2]!, new RegExp(`^\\| ${summary.rows[0].key} \\| ${(100 * first.auc.value).toFixed(1)} \\[`));
  for (const line of md.slice(2)) assert.equal(line.split(' | ').length, DETECTION_TABLE_COLUMNS.length);
  assert.match(md[2]!, /^\| pretrained \| 64 px \| 32 px \(16 px\) \| 0\.5 \| 1 \| 100\.0 % \| /);
  const r0 = summary.rows[0];
  const p1 = (x: number) => (100 * x).toFixed(1);
  assert.ok(md[2]!.includes(`| ${p1(r0.bilateralAuc)} [${p1(r0.bilateralAucLow)}, ${p1(r0.bilateralAucHigh)}]; women [${p1(r0.bilateralAucWomenLow)}, ${p1(r0.bilateralAucWomenHigh)}] |`), md[2]);
  const [header, ...lines] = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
  assert.deepEqual(header!.split(','), Object.keys(summary.rows[0]).filter((k) => k !== 'subgroups'), 'the CSV holds the flat columns');
  assert.equal(lines.length, 2);
  assert.ok(!lines.some((l) => l.includes('[object')));
});

test('a rerun skips every finished cell, and a lost cell is recomputed alone', () => {
  const cells = join(out, 'cells');
  const mtimes = new Map(readdirSync(cells).map((f) => [f, statSync(join(cells, f)).mtimeMs]));
  const again = cli('experiment', join(dir, 'grid.json'));
  assert.equal(again.status, 0, again.err);
  assert.equal(again.err.match(/: done earlier, skipped$/gm)?.length, 2, again.err);
  assert.doesNotMatch(again.err, /running|pretraining/);
  for (const [f, t] of mtimes) assert.equal(statSync(join(cells, f)).mtimeMs, t, `${f} rewritten`);

  const key = 'res-128_win-32-16_tau-0.5_epochs-1_labels-1';
  const before = readFileSync(join(cells, `${key}.json`), 'utf8');
  unlinkSync(join(cells, `${key}.json`));
  const resumed = cli('experiment', join(dir, 'grid.json'));
  assert.equal(resumed.status, 0, resumed.err);
  assert.deepEqual(resumed.err.match(/^cell .*: running$/gm), [`cell ${key}: running`]);
  assert.doesNotMatch(resumed.err, /^pretraining/m);
  assert.deepEqual(JSON.parse(readFileSync(join(cells, `${key}.json`), 'utf8')), JSON.parse(before));
});

test('detect on a grid\'s pretraining folder gives the cell\'s numbers (the same pieces)', () => {
  const run = join(out, 'pretrain', 'res-128_win-32-16_tau-0.5_epochs-1');
  const r = cli('detect', run, '--data', join(dir, 'data', 'phantom-128.safetensors'), '--folds', '2', '--fractions', '1', '--negatives', '200', '--hard-negatives', '20',
    '--no-baselines', '--no-bf16', '--seed', '1', '--quiet', '--out', join(dir, 'detect'));
  assert.equal(r.status, 0, r.err);
  const metrics = JSON.parse(readFileSync(join(dir, 'detect', 'metrics.json'), 'utf8'));
  const cell = JSON.parse(readFileSync(join(out, 'cells', 'res-128_win-32-16_tau-0.5_epochs-1_labels-1.json'), 'utf8'));
  const auc = (a: string) => metrics.results.find((x: { aggregation: string }) => x.aggregation === a).evaluation.auc.value;
  assert.deepEqual([cell.maxAuc, cell.topKMeanAuc, cell.bilateralAuc, cell.attentionMilAuc], [auc('max'), auc('top-k mean'), auc('bilateral'), auc('attention MIL')]);
  const women = (a: string) => metrics.results.find((x: { aggregation: string }) => x.aggregation === a).aucOverWomen;
  assert.deepEqual([cell.bilateralAucWomenLow, cell.bilateralAucWomenHigh], [women('bilateral').lo, women('bilateral').hi]);
  assert.deepEqual([cell.maxAucWomenLow, cell.maxAucWomenHigh], [women('max').lo, women('max').hi]);
  assert.equal(cell.patchAuc, metrics.patchAuc[0].auc);
  assert.equal(cell.topLocationHits, metrics.localisation.topLocation.hits);
  assert.equal(cell.topLocationChance, metrics.localisation.topLocation.chance);
  assert.deepEqual(cell.subgroups, metrics.subgroups);
});

test('bad detection configs are refused before any work, naming the file and the key', () => {
  const refused = (name: string, c: object, pattern: RegExp) => {
    const path = config(name, c);
    const r = cli('experiment', path, '--out', join(dir, `out-${name}`));
    assert.equal(r.status, 1, `${name}: ${r.out}`);
    assert.ok(r.err.includes(path), `${name}: ${r.err}`);
    assert.match(r.err, pattern, name);
  };
  refused('unknown.json', { ...GRID, detection: { ...GRID.detection, patchsize: 64 } }, /: detection: Unrecognized key.*patchsize/);
  refused('missing.json', { ...GRID, data: ['data/phantom-64.safetensors', 'data/phantom-1024.safetensors'] }, /: data\.1: data\/phantom-1024\.safetensors does not exist \(.*data\/phantom-1024\.safetensors\)/);
  refused('same-size.json', { ...GRID, data: ['data/phantom-64.safetensors', 'data/phantom-64.safetensors'] }, /: data\.1: .*phantom-64\.safetensors is at 64 px like data\.0 .*one file per size/);
  refused('too-large.json', { ...GRID, detection: { ...GRID.detection, patchSize: [32, 96] } }, /: detection\.patchSize: 96 px windows do not fit the 64 px images of data\.0 \(.*phantom-64\.safetensors\)/);
  refused('not-multiple.json', { ...GRID, detection: { ...GRID.detection, patchInput: [16, 24] } }, /: detection\.patchInput: a 32 px window .* not a whole multiple of the 24 px input/);
  refused('linear.json', { ...GRID, linear: { epochs: 5 } }, /: linear: not used by the detection grid/);
  refused('data-fraction.json', { ...GRID, pretrain: { ...GRID.pretrain, dataFraction: 0.5 } }, /: pretrain\.dataFraction: not used by the detection grid/);
  const { detection: _, ...whole } = GRID;
  refused('list-without-detection.json', whole, /: data: a list of files is the resolution axis of the detection grid/);
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('out-')), [], 'a refused config writes nothing');
});

test('experiment --device cuda without a CUDA libtorch or GPU says so before any work; a bad device is refused', (t) => {
  if (engineInfo().cudaAvailable) return t.skip('this libtorch sees a GPU');
  const path = config('cuda.json', GRID);
  const r = cli('experiment', path, '--out', join(dir, 'out-cuda'), '--device', 'cuda');
  assert.equal(r.status, 1);
  assert.match(r.err, /--device cuda: this libtorch \(.*\) has no CUDA or sees no GPU; point LIBTORCH at a CUDA build/);
  const bad = cli('experiment', path, '--out', join(dir, 'out-gpu'), '--device', 'gpu');
  assert.match(bad.err, /--device: expected cpu, cuda or cuda:N, got 'gpu'/);
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('out-')), [], 'nothing written');
});

test('the detection example of --help and README is a config the command takes', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const block = /### Detection grids[^\n]*\n[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, 'README has the example');
  assert.deepEqual(JSON.parse(block), EXAMPLE_DETECTION_EXPERIMENT);
  // On the phantom files every key parses; the 128 px window is then refused for the 64 px file.
  const r = cli('experiment', config('example.json', { ...EXAMPLE_DETECTION_EXPERIMENT, data: GRID.data }), '--out', join(dir, 'example'));
  assert.equal(r.status, 1);
  assert.match(r.err, /example\.json: detection\.patchSize: 128 px windows do not fit the 64 px images of data\.0/);
});

test('experiment --help shows a detection config', () => {
  const r = cli('experiment', '--help');
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /"detection": \{\s+"patchSize": \[\s+64,\s+128\s+\]/);
  assert.match(r.out, /"data": \[\s+"prepared\/mini-mias-512\.safetensors",\s+"prepared\/mini-mias-1024\.safetensors"/);
});

test('with baselines each window setting also gets the untrained, classic-CAD and from-scratch cells, as detect computes them', () => {
  const grid = { ...GRID, data: ['data/phantom-128.safetensors'], detection: { ...GRID.detection, baselines: true, supervisedEpochs: 1 }, out: 'grid-baselines' };
  const r = cli('experiment', config('baselines.json', grid));
  assert.equal(r.status, 0, r.err);
  const summary = JSON.parse(readFileSync(join(dir, 'grid-baselines', 'summary.json'), 'utf8'));
  assert.deepEqual(summary.rows.map((x: { key: string }) => x.key), ['res-128_win-32-16_tau-0.5_epochs-1_labels-1', 'res-128_win-32-16_random-init_labels-1',
    'res-128_win-32-16_classic_labels-1', 'res-128_win-32-16_supervised_labels-1']);
  const d = cli('detect', join(dir, 'grid-baselines', 'pretrain', 'res-128_win-32-16_tau-0.5_epochs-1'), '--data', join(dir, 'data', 'phantom-128.safetensors'), '--folds', '2', '--fractions', '1',
    '--negatives', '200', '--hard-negatives', '20', '--supervised-epochs', '1', '--no-bf16', '--seed', '1', '--quiet', '--out', join(dir, 'detect-baselines'));
  assert.equal(d.status, 0, d.err);
  const metrics = JSON.parse(readFileSync(join(dir, 'detect-baselines', 'metrics.json'), 'utf8'));
  const cell = summary.rows.find((x: { method: string }) => x.method === 'classic');
  const auc = (a: string) => metrics.results.find((x: { method: string; aggregation: string }) => x.method === 'classic CAD features, L2 logistic probe' && x.aggregation === a).evaluation.auc.value;
  assert.deepEqual([cell.maxAuc, cell.topKMeanAuc, cell.bilateralAuc, cell.attentionMilAuc], [auc('max'), auc('top-k mean'), auc('bilateral'), auc('attention MIL')]);
  assert.equal(cell.patchAuc, metrics.patchAuc.find((x: { method: string }) => x.method === 'classic CAD features, L2 logistic probe').auc);
});
