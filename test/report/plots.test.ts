// Each chart renders headless to an SVG with the expected marks and a PNG of the expected size,
// and the same data gives the same bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { rocCurve } from '../../src/eval/roc.js';
import { delongAuc } from '../../src/eval/delong.js';
import { lossPlot, knnPlot, lrPlot, binMeans, MAX_LINE_POINTS } from '../../src/report/plots/training.js';
import { rocPlot } from '../../src/report/plots/roc.js';
import { confusionPlot } from '../../src/report/plots/confusion.js';
import { tsnePlot } from '../../src/report/plots/tsne.js';
import { fractionPlot } from '../../src/report/plots/fractions.js';
import { writePlot, DEFAULT_WIDTH, DEFAULT_HEIGHT, type Plot } from '../../src/report/plots/render.js';
import { LABELS, SCORES } from './fixture.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The elements of the first Vega mark group of this type and role (`symbol`, `rect`, `text`...). */
function marks(svg: string, type: string, role = 'role-mark', nth = 0): string[] {
  const groups = [...svg.matchAll(new RegExp(`<g class="mark-${type} ${role}[^"]*"[^>]*>(.*?)</g>`, 'g'))];
  const g = groups[nth];
  assert.ok(g, `no mark-${type} ${role} group #${nth}`);
  const tag = type === 'text' ? 'text' : 'path';
  return [...g[1]!.matchAll(new RegExp(`<${tag}\\b[^>]*>(?:([^<]*)</${tag}>)?`, 'g'))].map((m) => m[1] ?? m[0]);
}

/** SVG root width/height, PNG signature and size (scale 2), and byte-identical re-rendering. */
async function checkPlot(make: () => Promise<Plot>, width: number, height: number, title: string): Promise<Plot> {
  const p = await make();
  assert.match(p.svg, /^<svg [^>]*width="(\d+)" height="(\d+)"/);
  const [, w, h] = /^<svg [^>]*width="(\d+)" height="(\d+)"/.exec(p.svg)!;
  assert.deepEqual([Number(w), Number(h)], [width, height], 'autosize fit gives the exact requested size');
  assert.ok(p.svg.includes(`aria-label="Title text '${title}'"`), `title "${title}" in the SVG`);
  assert.ok(p.png.subarray(0, 8).equals(PNG_SIGNATURE));
  const meta = await sharp(p.png).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['png', 2 * width, 2 * height]);
  const again = await make();
  assert.equal(again.svg, p.svg);
  assert.ok(again.png.equals(p.png), 'PNG bytes identical on a second render');
  return p;
}

const steps = Array.from({ length: 30 }, (_, i) => ({ step: i + 1, epoch: Math.floor(i / 10), loss: 5 - 0.1 * i, lr: 0.001 * (i + 1) }));
const epochMeans = [0, 1, 2].map((epoch) => ({ epoch, step: 10 * epoch + 10, loss: 4.5 - epoch }));

test('loss plot: per-step line and one point per epoch mean', async () => {
  const p = await checkPlot(() => lossPlot(steps, epochMeans), DEFAULT_WIDTH, DEFAULT_HEIGHT, 'Training loss');
  assert.equal(marks(p.svg, 'symbol').length, 3);
  assert.ok(p.svg.includes('30 steps, 3 epochs'));
  assert.ok(p.svg.includes('>epoch mean</text>'), 'legend names the epoch means');
});

test('kNN accuracy and learning-rate plots', async () => {
  const knn = await checkPlot(() => knnPlot([{ epoch: 1, knnAccuracy: 0.6 }, { epoch: 2, knnAccuracy: 0.7 }]), DEFAULT_WIDTH, DEFAULT_HEIGHT, 'kNN accuracy per epoch');
  assert.equal(marks(knn.svg, 'symbol').length, 2);
  const lr = await checkPlot(() => lrPlot(steps, { width: 300, height: 200 }), 300, 200, 'Learning rate');
  assert.equal(marks(lr.svg, 'line').length, 1);
});

test('ROC plot: AUC and CI in the title, one marker per ROC point, chance diagonal', async () => {
  const c = rocCurve(LABELS, SCORES);
  const d = delongAuc(LABELS, SCORES);
  const title = `ROC curve, AUC ${d.auc.toFixed(3)} (95 % CI ${d.lo.toFixed(3)}–${d.hi.toFixed(3)})`;
  const p = await checkPlot(() => rocPlot({ fpr: c.fpr, tpr: c.tpr, auc: { value: d.auc, lo: d.lo, hi: d.hi }, positives: 4, negatives: 6 }), 440, 440, title);
  assert.equal(c.fpr.length, 11);
  const points = marks(p.svg, 'symbol');
  assert.equal(points.length, c.fpr.length);
  // In threshold order, each with its own (fpr, tpr).
  points.forEach((pt, i) => assert.match(pt, new RegExp(`order: ${i}"`)));
  // Two line marks: the diagonal (first layer) and the curve.
  assert.equal(marks(p.svg, 'line', 'role-mark', 0).length, 1);
  assert.equal(marks(p.svg, 'line', 'role-mark', 1).length, 1);
});

test('confusion matrix: k x k cells with their counts as text', async () => {
  const p = await checkPlot(() => confusionPlot([[4, 2], [1, 3]], ['normal', 'abnormal']), 400, 380, 'Confusion matrix');
  assert.equal(marks(p.svg, 'rect').length, 4);
  assert.deepEqual(marks(p.svg, 'text'), ['4', '2', '1', '3']);
  assert.match(p.svg, /aria-label="predicted: abnormal; actual: normal; count: 2"/);
  const three = await confusionPlot([[5, 0, 1], [0, 7, 2], [1, 1, 9]], ['a', 'b', 'c']);
  assert.equal(marks(three.svg, 'rect').length, 9);
  assert.deepEqual(marks(three.svg, 'text'), ['5', '0', '1', '0', '7', '2', '1', '1', '9']);
  await assert.rejects(confusionPlot([[1, 2]], ['a', 'b']), /2 x 2/);
});

test('t-SNE scatter: one circle per point, coloured by label', async () => {
  const pts = Array.from({ length: 40 }, (_, i) => ({ x: (i % 2) * 10 + Math.cos(i), y: Math.sin(i), label: i % 2 ? 'abnormal' : 'normal' }));
  const p = await checkPlot(() => tsnePlot(pts, 't-SNE: pretrained embedding'), 480, 420, 't-SNE: pretrained embedding');
  const circles = marks(p.svg, 'symbol');
  assert.equal(circles.length, 40);
  assert.equal(new Set(circles.map((c) => /fill="([^"]+)"/.exec(c)![1])).size, 2, 'two labels, two colours');
  assert.ok(p.svg.includes('>normal</text>') && p.svg.includes('>abnormal</text>'));
});

test('labeled-fraction plot: AUC with a CI band per method, or accuracy', async () => {
  const rows = [0.1, 0.5, 1].flatMap((fraction) => [
    { fraction, method: 'pretrained', auc: 0.7 + 0.1 * fraction, aucLow: 0.6, aucHigh: 0.9, accuracy: 0.7 },
    { fraction, method: 'supervised', auc: 0.6 + 0.1 * fraction, aucLow: 0.5, aucHigh: 0.8, accuracy: 0.65 },
  ]);
  const auc = await checkPlot(() => fractionPlot(rows, 'auc'), DEFAULT_WIDTH, DEFAULT_HEIGHT, 'AUC against labeled fraction');
  // Series of a path mark (line, area) are drawn one group each.
  assert.equal([...auc.svg.matchAll(/<g class="mark-area role-mark/g)].length, 2, 'one band per method');
  assert.equal([...auc.svg.matchAll(/<g class="mark-line role-mark/g)].length, 2, 'one line per method');
  assert.equal(marks(auc.svg, 'symbol').length, 6);
  assert.ok(auc.svg.includes('>pretrained</text>') && auc.svg.includes('>supervised</text>'));
  const acc = await checkPlot(() => fractionPlot(rows, 'accuracy'), DEFAULT_WIDTH, DEFAULT_HEIGHT, 'Accuracy against labeled fraction');
  assert.doesNotMatch(acc.svg, /mark-area/);
});

test('long runs are drawn as bin means', () => {
  // 4000 points, at most 2000 drawn: bins of 2.
  const many = Array.from({ length: 2 * MAX_LINE_POINTS }, (_, i) => ({ step: i, loss: i % 2 }));
  const binned = binMeans(many, 'loss');
  assert.equal(binned.length, MAX_LINE_POINTS);
  assert.deepEqual(binned[0], { step: 0.5, loss: 0.5 });
  assert.deepEqual(binned.at(-1), { step: 2 * MAX_LINE_POINTS - 1.5, loss: 0.5 });
  assert.equal(binMeans(many.slice(0, 10), 'loss').length, 10);
});

test('writePlot writes the SVG and PNG', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mammoclr-plot-'));
  const p = await confusionPlot([[1, 0], [0, 1]], ['a', 'b']);
  const paths = await writePlot(dir, 'confusion', p);
  assert.equal(await readFile(paths.svg, 'utf8'), p.svg);
  assert.ok((await readFile(paths.png)).equals(p.png));
  assert.deepEqual((await readdir(dir)).sort(), ['confusion.png', 'confusion.svg'], 'no temporary files left');
  await assert.rejects(writePlot(dir, '../x', p), /plain file name/);
});
