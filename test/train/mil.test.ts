// Attention-MIL training from bag labels alone: on a synthetic task where a positive bag hides one
// window from a shifted distribution, held-out AUC is high and the attention finds that window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, tidy } from '../../src/tensor/index.js';
import { trainAttentionMil, padBags, featureDim, weightedBceWithLogits, predictAttentionMil, type MilBag } from '../../src/train/mil.js';
import { rocAuc } from '../../src/eval/roc.js';
import { rng } from '../tensor/helpers.js';

const close = (a: number, b: number, tol: number, msg = ''): void => assert.ok(Math.abs(a - b) <= tol, `${msg} ${a} vs ${b}`);

/** Bags of 6..12 standard-normal windows (D = 8); a positive bag has one window shifted by +2.5 in dims 0..3. */
function synthetic(n: number, seed: number): { bags: MilBag[]; labels: number[]; planted: number[] } {
  const r = rng(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const D = 8;
  const bags: MilBag[] = [];
  const labels: number[] = [];
  const planted: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = 6 + Math.floor(r() * 7);
    const features = Float32Array.from({ length: k * D }, normal);
    const y = i % 2;
    const at = y === 1 ? Math.floor(r() * k) : -1;
    if (at >= 0) for (let d = 0; d < 4; d++) features[at * D + d]! += 2.5;
    bags.push({ features, k });
    labels.push(y);
    planted.push(at);
  }
  return { bags, labels, planted };
}

test('learns a hidden-window task: held-out AUC > 0.9 and attention peaks on the planted window', () => {
  const train = synthetic(160, 1);
  const held = synthetic(80, 2);
  const { head, history, predict } = trainAttentionMil(train.bags, train.labels, { epochs: 30, batchSize: 16, lr: 0.05, hidden: 16, seed: 3 });
  assert.ok(history[29]!.loss < history[0]!.loss, `loss ${history[0]!.loss} -> ${history[29]!.loss}`);
  const pred = predict(held.bags);
  const auc = rocAuc(held.labels, pred.map((p) => p.probability));
  assert.ok(auc > 0.9, `held-out AUC ${auc}`);
  let peaks = 0;
  let positives = 0;
  pred.forEach((p, i) => {
    assert.equal(p.attention.length, held.bags[i]!.k);
    close(p.attention.reduce((s, v) => s + v, 0), 1, 1e-5, `bag ${i} attention sum`);
    if (held.labels[i] !== 1) return;
    positives++;
    const top = p.attention.indexOf(Math.max(...p.attention));
    if (top === held.planted[i]) peaks++;
  });
  // A random window would be the planted one in about 1 of 9 bags; seeds 3, 5, 11 give 36-38 of 40.
  assert.ok(peaks / positives >= 0.85, `attention peaks on the planted window in ${peaks}/${positives} positive bags (AUC ${auc})`);
  head.dispose();
});

test('the same seed gives the same head; gated heads and balanced weights train too', () => {
  const data = synthetic(24, 4);
  // Imbalanced: keep 4 positives of 12.
  const keep = data.labels.map((y, i) => y === 0 || i < 8);
  const bags = data.bags.filter((_, i) => keep[i]);
  const labels = data.labels.filter((_, i) => keep[i]);
  const cfg = { epochs: 3, batchSize: 5, hidden: 4, gated: true, classWeights: 'balanced' as const, seed: 7 };
  const a = trainAttentionMil(bags, labels, cfg);
  const b = trainAttentionMil(bags, labels, cfg);
  const weights = (m: typeof a): number[][] => m.head.parameters().map((p) => p.toArray());
  assert.deepEqual(weights(a), weights(b));
  assert.deepEqual(a.history, b.history);
  assert.ok(a.head.stateDict().has('attention_U.weight'));
  assert.ok(a.history.every((h) => Number.isFinite(h.loss)));
  assert.deepEqual(predictAttentionMil(a.head, bags, 3).map((p) => p.probability), a.predict(bags).map((p) => p.probability));
  a.head.dispose();
  b.head.dispose();
});

test('weighted BCE with logits equals the formula by hand', () => {
  tidy(() => {
    const z = [0.5, -1.0, 2.0];
    const y = [1, 0, 0];
    const w = [2, 1, 1];
    // -[y log s(z) + (1 - y) log(1 - s(z))] per bag, then the weighted mean sum w l / sum w.
    const s = (v: number): number => 1 / (1 + Math.exp(-v));
    const l = z.map((v, i) => -(y[i]! * Math.log(s(v)) + (1 - y[i]!) * Math.log(1 - s(v))));
    close(weightedBceWithLogits(tensor(z), tensor(y), null).item(), (l[0]! + l[1]! + l[2]!) / 3, 1e-6);
    close(weightedBceWithLogits(tensor(z), tensor(y), tensor(w)).item(), (2 * l[0]! + l[1]! + l[2]!) / 4, 1e-6);
    // Large logits stay finite (softplus, not log of a sigmoid that rounds to 0).
    close(weightedBceWithLogits(tensor([-200]), tensor([1]), null).item(), 200, 1e-3);
  });
});

test('padBags pads with zeros and masks the padding; bad bags and labels are refused', () => {
  const bags: MilBag[] = [{ features: Float32Array.from([1, 2, 3, 4]), k: 2 }, { features: Float32Array.from([5, 6]), k: 1 }];
  assert.equal(featureDim(bags), 2);
  tidy(() => {
    const { features, mask } = padBags(bags, 2);
    assert.deepEqual(features.shape, [2, 2, 2]);
    assert.deepEqual(features.toArray(), [1, 2, 3, 4, 5, 6, 0, 0]);
    assert.equal(mask.dtype, 'bool');
    assert.deepEqual(mask.toArray(), [1, 1, 1, 0]);
  });
  assert.throws(() => featureDim([]), /at least one bag/);
  assert.throws(() => featureDim([{ features: new Float32Array(3), k: 2 }]), /equal width/);
  assert.throws(() => featureDim([...bags, { features: new Float32Array(3), k: 1 }]), /3 features per window, bag 0 has 2/);
  assert.throws(() => featureDim([{ features: new Float32Array(0), k: 0 }]), /at least one window/);
  assert.throws(() => trainAttentionMil(bags, [1]), /2 bags but 1 labels/);
  assert.throws(() => trainAttentionMil(bags, [1, 2]), /0 or 1/);
});
