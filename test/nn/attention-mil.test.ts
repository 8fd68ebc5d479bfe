// Attention-MIL pooling: attention is a distribution over each bag's real windows, padding is
// inert, one window reduces to the classifier, and autograd matches finite differences (float64).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, tidy, noGrad, Generator, type Tensor } from '../../src/tensor/index.js';
import { AttentionMil } from '../../src/nn/attention-mil.js';
import { rng } from '../tensor/helpers.js';

const close = (a: number, b: number, tol: number, msg = ''): void => assert.ok(Math.abs(a - b) <= tol, `${msg} ${a} vs ${b}`);

function values(n: number, seed: number): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => 2 * r() - 1);
}

for (const gated of [false, true]) {
  test(`attention sums to 1 over real windows, 0 on padding, and a padded bag equals the bag alone (gated ${gated})`, () => {
    const head = new AttentionMil(5, { hidden: 6, gated, generator: Generator.seeded(1) });
    const ks = [4, 2, 1];
    const x = values(3 * 4 * 5, 2);
    // Padding rows are zeros, as padBags makes them.
    ks.forEach((k, b) => x.fill(0, (b * 4 + k) * 5, (b + 1) * 4 * 5));
    const mask = ks.flatMap((k) => [0, 1, 2, 3].map((i) => i < k));
    tidy(() => {
      const out = head.forward(tensor(x, [3, 4, 5]), tensor(mask.map(Number), [3, 4], { dtype: 'bool' }));
      assert.deepEqual(out.logit.shape, [3]);
      assert.deepEqual(out.attention.shape, [3, 4]);
      const a = out.attention.toArray();
      const logits = out.logit.toArray();
      ks.forEach((k, b) => {
        const row = a.slice(b * 4, b * 4 + 4);
        close(row.slice(0, k).reduce((s, v) => s + v, 0), 1, 1e-6, `bag ${b} sum`);
        assert.ok(row.slice(0, k).every((v) => v > 0));
        assert.deepEqual(row.slice(k), new Array(4 - k).fill(0));
        const alone = head.forward(tensor(x.slice(b * 20, b * 20 + k * 5), [k, 5]));
        assert.deepEqual(alone.logit.shape, []);
        close(alone.logit.item(), logits[b]!, 1e-6, `bag ${b} logit`);
        alone.attention.toArray().forEach((v, i) => close(v, row[i]!, 1e-6, `bag ${b} attention ${i}`));
      });
      // A non-bool mask (1 = real) means the same.
      const byNumbers = head.forward(tensor(x, [3, 4, 5]), tensor(mask.map(Number), [3, 4]));
      assert.deepEqual(byNumbers.attention.toArray(), a);
    });
    head.dispose();
  });
}

test('one window: attention 1 and the bag logit is the classifier on that window', () => {
  const head = new AttentionMil(4, { hidden: 3, gated: true, generator: Generator.seeded(5) });
  const h = [0.3, -1.2, 0.7, 2.0];
  const state = head.stateDict();
  const w = state.get('classifier.weight')!.toArray();
  const b = state.get('classifier.bias')!.item();
  tidy(() => {
    const out = head.forward(tensor(h, [1, 4]));
    assert.deepEqual(out.attention.toArray(), [1]);
    close(out.logit.item(), h.reduce((s, v, i) => s + v * w[i]!, b), 1e-6);
  });
  head.dispose();
});

test('state dict names follow the paper code: attention_V, attention_U (gated), attention_w, classifier', () => {
  const plain = new AttentionMil(4, { hidden: 3 });
  assert.deepEqual([...plain.stateDict().keys()], ['attention_V.weight', 'attention_V.bias', 'attention_w.weight', 'attention_w.bias', 'classifier.weight', 'classifier.bias']);
  const gated = new AttentionMil(4, { hidden: 3, gated: true });
  assert.deepEqual([...gated.stateDict().entries()].map(([k, t]) => `${k}:${t.shape.join('x')}`), [
    'attention_V.weight:3x4', 'attention_V.bias:3', 'attention_U.weight:3x4', 'attention_U.bias:3',
    'attention_w.weight:1x3', 'attention_w.bias:1', 'classifier.weight:1x4', 'classifier.bias:1',
  ]);
  plain.dispose();
  gated.dispose();
});

/** A scalar that depends on both outputs: logit + sum_k c_k a_k (c fixed), so attention gradients are checked too. */
function objective(head: AttentionMil, h: Tensor, mask: Tensor | null, c: Tensor): Tensor {
  const out = head.forward(h, mask);
  return out.logit.sum().add(out.attention.mul(c).sum());
}

for (const gated of [false, true]) {
  test(`gradients match central finite differences in float64 (gated ${gated}); padding gets none`, () => {
    const head = new AttentionMil(3, { hidden: 4, gated, generator: Generator.seeded(9) }).to({ dtype: 'float64' });
    // Two bags of up to 3 windows; bag 1 has 2 real windows and one padding row.
    const x = values(2 * 3 * 3, 11);
    x.fill(0, 15, 18);
    const maskValues = [1, 1, 1, 1, 1, 0];
    const c = tensor(values(6, 12), [2, 3], { dtype: 'float64' });
    const mask = tensor(maskValues, [2, 3], { dtype: 'bool' });
    const f = (xs: number[]): number => tidy(() => noGrad(() => objective(head, tensor(xs, [2, 3, 3], { dtype: 'float64' }), mask, c).item()));
    const eps = 1e-6;
    const h = tensor(x, [2, 3, 3], { dtype: 'float64', requiresGrad: true });
    head.zeroGrad();
    tidy(() => objective(head, h, mask, c).backward());
    const gh = h.grad!.toArray();
    x.forEach((_, i) => {
      const plus = [...x];
      const minus = [...x];
      plus[i]! += eps;
      minus[i]! -= eps;
      if (i >= 15) assert.equal(gh[i], 0, `padding feature ${i}`);
      else close(gh[i]!, (f(plus) - f(minus)) / (2 * eps), 1e-7, `d/dh[${i}]`);
    });
    for (const [name, p] of head.namedParameters()) {
      const g = p.grad!.toArray();
      const n = p.numel;
      for (let i = 0; i < n; i++) {
        const bump = (delta: number): number => {
          const one = new Float64Array(n);
          one[i] = delta;
          const d = tensor(one, p.shape);
          noGrad(() => p.add_(d));
          const v = f(x);
          noGrad(() => p.sub_(d));
          d.dispose();
          return v;
        };
        close(g[i]!, (bump(eps) - bump(-eps)) / (2 * eps), 1e-7, `d/d${name}[${i}]`);
      }
    }
    for (const t of [h, c, mask]) t.dispose();
    head.dispose();
  });
}

test('errors: shapes, mask on a single bag, fully masked bag', () => {
  const head = new AttentionMil(2, { hidden: 2 });
  tidy(() => {
    assert.throws(() => head.forward(tensor([1, 2, 3], [3])), /\[K, D\] or \[B, K, D\]/);
    assert.throws(() => head.forward(tensor([1, 2, 3], [1, 3])), /expected 2 features/);
    assert.throws(() => head.forward(tensor([1, 2], [1, 2]), tensor([true], [1, 1], { dtype: 'bool' })), /takes no mask/);
    assert.throws(() => head.forward(tensor([1, 2, 3, 4], [2, 1, 2]), tensor([1], [1, 1], { dtype: 'bool' })), /mask must be \[2, 1\]/);
    assert.throws(() => head.forward(tensor([1, 2, 3, 4], [2, 1, 2]), tensor([1, 0], [2, 1], { dtype: 'bool' })), /at least one unmasked/);
  });
  head.dispose();
});
