import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wilsonInterval } from '../../src/eval/wilson.js';

const close = (a: number, b: number, tol: number) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test('8/10 by hand from the formula', () => {
  // z = 1.959964, z^2 = 3.841458881296, 1 + z^2/n = 1.3841458881296
  // center = (0.8 + 0.1920729440648)/1.3841458881296 = 0.71674015909
  // half = 1.959964/1.3841458881296 * sqrt(0.016 + 0.0096036472) = 0.22657768997
  // -> [0.49016246912, 0.94331784906]
  const w = wilsonInterval(8, 10);
  assert.equal(w.value, 0.8);
  close(w.lo, 0.49016246912213235, 1e-12);
  close(w.hi, 0.943317849062233, 1e-12);
  close(w.lo, 0.4902, 5e-5);
  close(w.hi, 0.9433, 5e-5);
});

test('matches scipy binomtest(...).proportion_ci("wilson") up to the rounding of z', () => {
  // scipy uses z = 1.95996398454..., we use 1.959964: differences below 1e-7.
  const cases: [number, number, number, number][] = [
    [8, 10, 0.4901624715366418, 0.9433178485456248],
    [0, 10, 0, 0.27753279986288926],
    [10, 10, 0.7224672001371109, 1],
    [37, 50, 0.6044684273515115, 0.8412847250644762],
    [1, 1, 0.20654931437723745, 1],
    [3, 5, 0.23072428127601297, 0.8823792257673521],
  ];
  for (const [k, n, lo, hi] of cases) {
    const w = wilsonInterval(k, n);
    close(w.lo, lo, 1e-7);
    close(w.hi, hi, 1e-7);
    assert.ok(w.lo >= 0 && w.hi <= 1);
  }
});

test('bounds at 0 and n are exactly 0 and 1; n = 0 is NaN; bad input throws', () => {
  assert.equal(wilsonInterval(0, 7).lo, 0);
  assert.equal(wilsonInterval(7, 7).hi, 1);
  assert.ok(Number.isNaN(wilsonInterval(0, 0).lo));
  assert.throws(() => wilsonInterval(5, 3), /0 <= k <= n/);
  assert.throws(() => wilsonInterval(1.5, 3), /integers/);
});
