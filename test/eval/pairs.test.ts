import test from 'node:test';
import assert from 'node:assert/strict';
import { pairAnalysis } from '../../src/eval/pairs.js';
import { delongAuc } from '../../src/eval/delong.js';
import { wilsonInterval } from '../../src/eval/wilson.js';

// Women a-d have one positive breast: the positive image scores above its partner for a and b,
// below for c, and ties for d (a miss). e has two negative breasts, f two positive ones, g one
// image only. Side: 2 of 4.
const patients = ['a', 'a', 'b', 'b', 'c', 'c', 'd', 'd', 'e', 'e', 'f', 'f', 'g'];
const labels = [1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 1, 1, 0];
const scores = [0.9, 0.2, 0.3, 0.6, 0.1, 0.5, 0.4, 0.4, 0.7, 0.35, 0.25, 0.8, 0.05];

test('pairs: the positive breast above its partner in 2 of 4 women, with the Wilson interval', () => {
  const r = pairAnalysis(labels, scores, patients);
  assert.deepEqual(r.side, wilsonInterval(2, 4));
  assert.deepEqual(r.womenByImages, { 1: 1, 2: 6 });
});

test('pairs: woman-level AUC on each woman\'s highest score, any positive image making her positive', () => {
  const r = pairAnalysis(labels, scores, patients);
  // Positive women a 0.9, b 0.6, c 0.5, d 0.4, f 0.8; negative e 0.7, g 0.05:
  // above e: a, f (2 of 5); above g: all 5 -> (2 + 5) / 10 = 0.7.
  assert.ok(Math.abs(r.women!.auc - 0.7) < 1e-12, String(r.women!.auc));
  assert.deepEqual(r.women, delongAuc([1, 1, 1, 1, 0, 1, 0], [0.9, 0.6, 0.5, 0.4, 0.7, 0.8, 0.05]));
});

test('pairs: the side does not depend on the order of a woman\'s images or of the women', () => {
  const order = [12, 3, 2, 11, 10, 0, 1, 5, 4, 7, 6, 9, 8];
  const r = pairAnalysis(order.map((i) => labels[i]!), order.map((i) => scores[i]!), order.map((i) => patients[i]!));
  assert.deepEqual(r, pairAnalysis(labels, scores, patients));
});

test('pairs: no mixed pair gives NaN, one class of women gives no AUC, and mismatched inputs are refused', () => {
  const r = pairAnalysis([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4], ['a', 'a', 'b', 'b']);
  assert.equal(r.side.n, 0);
  assert.ok(Number.isNaN(r.side.value));
  assert.equal(r.women!.auc, 1);
  assert.equal(pairAnalysis([0, 1], [0.1, 0.2], ['a', 'a']).women, null);
  assert.throws(() => pairAnalysis([0, 1], [0.1, 0.2], ['a']), /1 patient ids for 2 images/);
});
