// The HTML report from a synthetic run directory: every section, the numbers, the baselines,
// escaped text, inlined images, no external references; and a run with only config.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildReport } from '../../src/report/report.js';
import { SECTIONS, METRIC_ROWS } from '../../src/report/sections.js';
import { parseTrainingLog, trainingSeries } from '../../src/report/training-log.js';
import { fullRun, emptyRun, tinyPng, EVIL_ID } from './fixture.js';

function headings(html: string): string[] {
  return [...html.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1]!);
}

test('report of a full run: sections, metrics with intervals, baselines, data, gallery, escaping', async () => {
  const run = await fullRun();
  const r = await buildReport(run.dir);
  assert.equal(r.path, join(run.dir, 'report.html'));
  const html = await readFile(r.path, 'utf8');

  assert.deepEqual(headings(html), SECTIONS.map((s) => s.title.replace('&', '&amp;')));
  // Metrics: every value and both interval ends as printed, for the model and the supervised baseline.
  for (const [key] of METRIC_ROWS) {
    for (const ev of [run.evaluation, run.supervised]) {
      const iv = ev[key];
      assert.ok(html.includes(`${iv.value.toFixed(3)} <span class="ci">(${iv.lo.toFixed(3)}–${iv.hi.toFixed(3)})</span>`), `${key} ${iv.value}`);
    }
  }
  assert.ok(html.includes('Majority-class baseline'));
  const base = run.evaluation.baseline.accuracy;
  assert.equal(base.value, 0.6);
  assert.ok(html.includes(`0.600 <span class="ci">(${base.lo.toFixed(3)}–${base.hi.toFixed(3)})</span>`));
  assert.ok(html.includes('always predicts normal (0), the majority of the test labels'));
  assert.ok(html.includes('Supervised baseline (95 % CI)'));
  assert.ok(html.includes('DeLong') && html.includes('Wilson') && html.includes('stratified bootstrap'));

  // Data: counts, totals, skipped files with their reasons, escaped.
  assert.match(html, /<td>normal<\/td><td>30<\/td><td>6<\/td><td>36<\/td>/);
  assert.match(html, /<td><strong>total<\/strong><\/td><td>50<\/td><td>10<\/td><td>60<\/td>/);
  assert.ok(html.includes('<code>mdb999.pgm</code>: truncated header'));
  assert.ok(html.includes('<code>x&lt;y&gt;.dcm</code>: no pixel data &amp; &quot;bad&quot;'));

  // Config, collapsible and escaped.
  assert.match(html, /<details><summary>Resolved configuration/);
  assert.ok(html.includes('&quot;note&quot;: &quot;a &amp; b&quot;'));

  // Plots inlined as SVG: loss, kNN, lr, ROC, confusion; ids unique across them.
  assert.deepEqual(r.plots, ['loss', 'knn-accuracy', 'learning-rate', 'roc', 'roc-supervised', 'confusion']);
  assert.equal([...html.matchAll(/<svg /g)].length, 6);
  const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]!);
  assert.equal(new Set(ids).size, ids.length, 'no duplicate ids');
  assert.ok(html.includes(`ROC curve, AUC ${run.evaluation.auc.value.toFixed(3)}`));
  assert.ok(html.includes(`ROC curve (supervised baseline), AUC ${run.supervised.auc.value.toFixed(3)}`));

  // k-fold mean ± sd of the written aggregate, for the model and the supervised baseline.
  for (const key of ['accuracy.value', 'auc.value']) {
    const s = run.aggregate[key]!;
    assert.ok(html.includes(`<td>${s.mean.toFixed(3)} ± ${s.std.toFixed(3)}</td><td>${s.min.toFixed(3)}–${s.max.toFixed(3)}</td><td>2 of 2</td>`), key);
  }
  assert.ok(html.includes('supervised: mean ± sd'));
  assert.ok(html.includes('linear on /runs/a/encoder.safetensors') && html.includes('50.0 %'));

  // Gallery: both images as data URIs under their groups, the id escaped.
  assert.ok(html.includes(`src="data:image/png;base64,${run.pngs.tp.toString('base64')}"`));
  assert.ok(html.includes(`src="data:image/png;base64,${run.pngs.fp.toString('base64')}"`));
  assert.ok(html.indexOf(run.pngs.tp.toString('base64')) < html.indexOf('<h3>False positives (1)</h3>'));
  assert.ok(html.indexOf(run.pngs.fp.toString('base64')) > html.indexOf('<h3>False positives (1)</h3>'));
  assert.ok(html.includes('<h3>True positives (1)</h3>') && html.includes('<h3>False negatives (0)</h3>'));
  assert.ok(html.includes('&lt;b&gt;x&lt;/b&gt; · label abnormal (1) · score 0.900'));
  assert.ok(!html.includes(EVIL_ID));

  // Self-contained: no external references, no scripts.
  assert.doesNotMatch(html, /https?:\/\//);
  assert.doesNotMatch(html, /<script|<link|@import/i);

  // What is absent is said; the truncated log line is reported, not fatal.
  assert.deepEqual(r.missing.map((m) => m.part).sort(), ['eval/fractions.json', 'tsne/*.json']);
  assert.ok(html.includes('<code>tsne/*.json</code> not found'));
  assert.ok(html.includes('log.jsonl: 1 line(s) were not step or epoch records'));

  // Each chart also as files.
  assert.deepEqual((await readdir(join(run.dir, 'plots'))).sort(), r.plots.flatMap((p) => [`${p}.png`, `${p}.svg`]).sort());
});

test('a run with only config.json renders, with the missing notes', async () => {
  const dir = await emptyRun({ seed: 7 });
  const r = await buildReport(dir, { plotsDir: false });
  const html = await readFile(r.path, 'utf8');
  assert.deepEqual(headings(html), SECTIONS.map((s) => s.title));
  assert.deepEqual(
    r.missing.map((m) => m.part),
    ['log.jsonl', 'data.json', 'eval/metrics.json', 'eval/predictions.csv', 'eval/fractions.json', 'tsne/*.json', 'gradcam/'],
  );
  for (const m of r.missing) assert.ok(html.includes(`<code>${m.part}</code> not found`), m.part);
  assert.ok(html.includes('data.json not found'));
  assert.ok(html.includes('eval/metrics.json not found'));
  assert.ok(html.includes('No Grad-CAM images'));
  assert.doesNotMatch(html, /<svg/);
  assert.ok(html.includes('&quot;seed&quot;: 7'));
  assert.deepEqual(r.problems, []);
});

test('unreadable parts become notes; a gallery without index.json lists the images', async () => {
  const dir = await emptyRun();
  await writeFile(join(dir, 'data.json'), '{ not json');
  await mkdir(join(dir, 'gradcam', 'fn'), { recursive: true });
  await writeFile(join(dir, 'gradcam', 'fn', 'case<1>.png'), await tinyPng(0, 255, 0));
  await writeFile(join(dir, 'gradcam', 'fn', 'broken.png'), 'not an image');
  const r = await buildReport(dir, { plotsDir: false });
  const html = await readFile(r.path, 'utf8');
  assert.ok(r.problems.some((p) => p.startsWith('data.json: ')));
  assert.ok(r.problems.includes('gradcam/fn/broken.png: not a PNG or JPEG image'));
  assert.ok(html.includes('<h3>False negatives (2)</h3>'));
  assert.ok(html.includes('<figcaption>case&lt;1&gt;.png</figcaption>'));
});

test('multi-class metrics: k x k confusion matrix and per-class AUC; no ROC from per-class probabilities', async () => {
  const dir = await emptyRun();
  await mkdir(join(dir, 'eval'));
  const classes = ['normal', 'benign', 'malignant'];
  const evaluation = { n: 9, accuracy: 6 / 9, macroF1: 0.65, confusion: [[3, 0, 0], [1, 1, 1], [0, 1, 2]], aucPerClass: [0.9, 0.7, 0.8] };
  await writeFile(join(dir, 'eval', 'metrics.json'), JSON.stringify({ task: 'three-class', classes, evaluation }));
  await writeFile(join(dir, 'eval', 'predictions.csv'), 'id,patient_id,label,p_normal,p_benign,p_malignant,fold\na,p,0,0.8,0.1,0.1,0\n');
  const r = await buildReport(dir, { plotsDir: false });
  const html = await readFile(r.path, 'utf8');
  assert.deepEqual(r.plots, ['confusion']);
  assert.equal([...html.matchAll(/aria-label="predicted: [a-z]+; actual: [a-z]+; count: \d"/g)].length, 2 * 9, 'rect and text per cell');
  assert.ok(html.includes('<td>AUC, malignant vs rest</td><td>0.800</td>'));
  assert.ok(html.includes('<td>Macro F1</td><td>0.650</td>'));
  assert.ok(r.problems.some((p) => p.startsWith('eval/predictions.csv: no score column')));
});

test('gradcam index entries cannot reach outside gradcam/', async () => {
  const dir = await emptyRun();
  await mkdir(join(dir, 'gradcam'), { recursive: true });
  await writeFile(join(dir, 'secret.png'), await tinyPng(1, 2, 3));
  await writeFile(join(dir, 'gradcam', 'index.json'), JSON.stringify([{ file: '../secret.png', kind: 'tp', id: 'x' }]));
  const r = await buildReport(dir, { plotsDir: false });
  assert.deepEqual(r.problems, ['gradcam/../secret.png: outside the gradcam folder']);
  assert.doesNotMatch(await readFile(r.path, 'utf8'), /data:image/);
});

test('training log: per-epoch step counters become a global step; epoch means from the log or the steps', () => {
  const lines = [
    { type: 'step', epoch: 0, step: 0, loss: 3, lr: 0.1 },
    { type: 'step', epoch: 0, step: 1, loss: 1, lr: 0.1 },
    { type: 'epoch', epoch: 0, loss: 2.5, knnAccuracy: 0.5 },
    { type: 'step', epoch: 1, step: 0, loss: 2 },
    { type: 'step', epoch: 1, step: 1, loss: 1 },
  ].map((o) => JSON.stringify(o));
  const s = trainingSeries(parseTrainingLog(`${lines.join('\n')}\nnot json\n`));
  assert.deepEqual(s.steps.map((p) => p.step), [1, 2, 3, 4]);
  assert.deepEqual(s.epochMeans, [
    { epoch: 0, step: 2, loss: 2.5 },
    { epoch: 1, step: 4, loss: 1.5 },
  ]);
  assert.deepEqual(s.knn, [{ epoch: 0, knnAccuracy: 0.5 }]);
  assert.equal(parseTrainingLog('x\n{"type":"step"}\n').skippedLines, 2);
});

test('mammoclr report <run dir> prints the report path', async () => {
  const dir = await emptyRun();
  const res = spawnSync(process.execPath, ['bin/mammoclr.js', 'report', dir, '--no-plot-files'], { encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  assert.equal(res.stdout.trim(), join(dir, 'report.html'));
  assert.match(res.stderr, /missing: log\.jsonl/);
  const bad = spawnSync(process.execPath, ['bin/mammoclr.js', 'report', join(dir, 'nope')], { encoding: 'utf8' });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /not a run directory: it has no config\.json/);
});
