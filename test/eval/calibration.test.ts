import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brierScore, expectedCalibrationError, reliabilityBins, signalVerdict } from '../../src/eval/calibration.js';
import { wilsonInterval } from '../../src/eval/wilson.js';

const close = (got: number, want: number, tol = 1e-12, what = '') => assert.ok(Math.abs(got - want) <= tol, `${what} ${got} != ${want}`);

const labels = [0, 0, 1, 0, 1, 1, 1, 0];
const probabilities = [0.05, 0.15, 0.12, 0.45, 0.55, 0.85, 0.95, 0.9];

test('Brier score by hand', () => {
  // squared errors: .0025 .0225 .7744 .2025 .2025 .0225 .0025 .81, sum 2.0394
  close(brierScore(labels, probabilities), 2.0394 / 8);
  assert.equal(brierScore([1, 0], [1, 0]), 0);
  assert.equal(brierScore([1, 0], [0, 1]), 1);
});

test('reliability bins by hand, with Wilson intervals on the observed fraction', () => {
  const bins = reliabilityBins(labels, probabilities);
  assert.equal(bins.length, 10);
  const filled = bins.filter((b) => b.count > 0).map((b) => [b.lo, b.count, b.positives, b.meanPredicted]);
  const want = [
    [0, 1, 0, 0.05],
    [0.1, 2, 1, 0.135],
    [0.4, 1, 0, 0.45],
    [0.5, 1, 1, 0.55],
    [0.8, 1, 1, 0.85],
    [0.9, 2, 1, 0.925],
  ];
  assert.equal(filled.length, want.length);
  filled.forEach((got, i) => got.forEach((v, j) => close(v, want[i]![j]!, 1e-12, `bin ${i} field ${j}`)));
  const w = wilsonInterval(1, 2);
  assert.deepEqual(bins[1]!.observed, { value: 0.5, lo: w.lo, hi: w.hi, method: 'wilson' });
  assert.equal(bins[1]!.hi, 0.2);
  // Empty bins are kept, with NaN where nothing was observed.
  assert.equal(bins[2]!.count, 0);
  assert.ok(Number.isNaN(bins[2]!.meanPredicted) && Number.isNaN(bins[2]!.observed.value));
});

test('bin edges: 0 in the first bin, an edge value starts its bin, 1 in the last', () => {
  const bins = reliabilityBins([0, 1, 1, 0], [0, 0.5, 1, 0.25], 4);
  assert.deepEqual(
    bins.map((b) => b.count),
    [1, 1, 1, 1],
  );
  assert.deepEqual(
    bins.map((b) => b.positives),
    [0, 0, 1, 1],
  );
});

test('expected calibration error by hand; 0 when every bin is calibrated', () => {
  // (1/8)(.05 + .45 + .45 + .15) + (2/8)(|.5 - .135| + |.5 - .925|) = .1375 + .1975
  close(expectedCalibrationError(labels, probabilities), 0.335);
  const y = [1, 0, 0, 0, 1, 1, 1, 0];
  const p = [0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75];
  close(expectedCalibrationError(y, p), 0);
  close(brierScore(y, p), 0.1875); // (2 * .75^2 + 6 * .25^2) / 8
});

test('inputs are checked', () => {
  assert.throws(() => brierScore([0, 1], [0.5]), /differ in length/);
  assert.throws(() => brierScore([0, 2], [0.5, 0.5]), /must be 0 or 1/);
  assert.throws(() => reliabilityBins([0], [1.2]), /\[0, 1\]/);
  assert.throws(() => reliabilityBins([0], [Number.NaN]), /\[0, 1\]/);
  assert.throws(() => reliabilityBins([0], [0.5], 0), /positive integer/);
  assert.throws(() => expectedCalibrationError([], []), /at least one/);
});

test('signal verdicts', () => {
  assert.equal(
    signalVerdict({ value: 0.38, lo: 0.3, hi: 0.46 }),
    'no usable signal: the AUC interval lies wholly below 0.5 (the scores rank the classes the wrong way round more often than chance allows)',
  );
  assert.equal(signalVerdict({ value: 0.55, lo: 0.45, hi: 0.65 }), 'not distinguishable from chance (the interval contains 0.5)');
  assert.equal(signalVerdict({ value: 0.6, lo: 0.5, hi: 0.7 }), 'not distinguishable from chance (the interval contains 0.5)');
  assert.equal(signalVerdict({ value: 0.45, lo: 0.4, hi: 0.5 }), 'not distinguishable from chance (the interval contains 0.5)');
  assert.equal(signalVerdict({ value: 0.8, lo: 0.7, hi: 0.9 }), undefined);
  assert.equal(signalVerdict({ value: Number.NaN, lo: Number.NaN, hi: Number.NaN }), undefined);
});
