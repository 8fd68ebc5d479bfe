import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Generator, manualSeed, randn, rand, randint, randperm, bernoulli, tensor, tidy, F, zeros } from '../../src/tensor/index.js';

test('torch.manual_seed(1); torch.randn(3) reproduces PyTorch', () => {
  tidy(() => {
    manualSeed(1);
    assert.deepEqual(randn([3]).toArray(), [0.6613521575927734, 0.266924113035202, 0.06167725846171379]);
    manualSeed(1);
    assert.deepEqual(randn([3]).toArray(), [0.6613521575927734, 0.266924113035202, 0.06167725846171379]);
  });
});

test('same seed gives the same draws; different seeds differ', () => {
  tidy(() => {
    const a = randn([64], { generator: Generator.seeded(42) }).toArray();
    const b = randn([64], { generator: Generator.seeded(42) }).toArray();
    const c = randn([64], { generator: Generator.seeded(43) }).toArray();
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.equal(new Set(a).size, 64);
    // a generator advances: two draws from one generator differ
    const g = Generator.seeded(42);
    const d1 = rand([16], { generator: g }).toArray();
    const d2 = rand([16], { generator: g }).toArray();
    assert.notDeepEqual(d1, d2);
    // reseeding in place restarts the stream
    g.manualSeed(42);
    assert.deepEqual(rand([16], { generator: g }).toArray(), d1);
    assert.equal(g.seed, 42n);
    assert.equal(Generator.seeded(7n).seed, 7n);
  });
});

test('an explicit generator does not consume the default stream', () => {
  tidy(() => {
    manualSeed(1);
    randn([5], { generator: Generator.seeded(3) });
    assert.deepEqual(randn([3]).toArray(), [0.6613521575927734, 0.266924113035202, 0.06167725846171379]);
  });
});

test('rand is uniform in [0, 1) with the right mean', () => {
  tidy(() => {
    const n = 20000;
    const x = rand([n], { generator: Generator.seeded(5), dtype: 'float64' });
    assert.equal(x.dtype, 'float64');
    const v = x.toArray();
    assert.ok(v.every((u) => u >= 0 && u < 1));
    const mean = v.reduce((a, b) => a + b, 0) / n;
    assert.ok(Math.abs(mean - 0.5) < 4 * Math.sqrt(1 / 12 / n), `mean ${mean}`);
    const low = v.filter((u) => u < 0.25).length / n;
    assert.ok(Math.abs(low - 0.25) < 4 * Math.sqrt(0.25 * 0.75 / n), `P(u<.25)=${low}`);
  });
});

test('randn moments', () => {
  tidy(() => {
    const n = 20000;
    const v = randn([n], { generator: Generator.seeded(11) }).toArray();
    const mean = v.reduce((a, b) => a + b, 0) / n;
    const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
    assert.ok(Math.abs(mean) < 4 / Math.sqrt(n), `mean ${mean}`);
    assert.ok(Math.abs(variance - 1) < 4 * Math.sqrt(2 / n), `var ${variance}`);
  });
});

test('randint stays in [low, high) and hits every value', () => {
  tidy(() => {
    const t = randint(3, 7, [2000], { generator: Generator.seeded(9) });
    assert.equal(t.dtype, 'int64');
    assert.deepEqual(t.shape, [2000]);
    const v = t.toArray();
    assert.ok(v.every((x) => Number.isInteger(x) && x >= 3 && x < 7));
    assert.deepEqual([...new Set(v)].sort(), [3, 4, 5, 6]);
    assert.equal(randint(-2, 2, [10], { dtype: 'int32' }).dtype, 'int32');
  });
});

test('randperm is a permutation', () => {
  tidy(() => {
    const p = randperm(50, { generator: Generator.seeded(2) });
    assert.equal(p.dtype, 'int64');
    const v = p.toArray();
    assert.deepEqual([...v].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
    assert.notDeepEqual(v, Array.from({ length: 50 }, (_, i) => i));
    assert.deepEqual(randperm(50, { generator: Generator.seeded(2) }).toArray(), v);
  });
});

test('bernoulli(p=0.3) over 1e5 draws has mean within 4 sigma', () => {
  tidy(() => {
    const n = 100000;
    const b = bernoulli(0.3, [n], { generator: Generator.seeded(123) });
    const v = b.toArray();
    assert.ok(v.every((x) => x === 0 || x === 1));
    const mean = v.reduce((a: number, x) => a + x, 0) / n;
    assert.ok(Math.abs(mean - 0.3) < 4 * Math.sqrt(0.3 * 0.7 / n), `mean ${mean}`);
  });
});

test('bernoulli with a probability tensor: 0 and 1 are certain', () => {
  tidy(() => {
    const probs = tensor([0, 1, 0, 1, 1]);
    const b = bernoulli(probs, [], { generator: Generator.seeded(1) });
    assert.deepEqual(b.toArray(), [0, 1, 0, 1, 1]);
  });
});

test('getState/setState restores the stream of a generator', () => {
  tidy(() => {
    const g = Generator.seeded(77);
    rand([3], { generator: g });
    const state = g.getState();
    assert.equal(state.dtype, 'uint8');
    const a = randn([10], { generator: g }).toArray();
    const b = randn([10], { generator: g }).toArray();
    assert.notDeepEqual(a, b);
    g.setState(state);
    assert.deepEqual(randn([10], { generator: g }).toArray(), a);
    // a state moves between generators
    const h = Generator.seeded(1);
    h.setState(state);
    assert.deepEqual(randn([10], { generator: h }).toArray(), a);
  });
});

test('getState/setState on the default generator', () => {
  tidy(() => {
    const d = Generator.default();
    manualSeed(1234);
    const s = d.getState();
    const a = rand([8]).toArray();
    d.setState(s);
    assert.deepEqual(rand([8]).toArray(), a);
    assert.equal(d.seed, 1234n);
  });
});

test('uniform_ and normal_ fill in place from a generator', () => {
  tidy(() => {
    const t = zeros([1000]);
    const r = F.uniform_(t, -2, 3, Generator.seeded(4));
    assert.equal(r, t);
    const v = t.toArray();
    assert.ok(v.every((x) => x >= -2 && x < 3));
    assert.ok(Math.min(...v) < -1.9 && Math.max(...v) > 2.9);
    const u = zeros([1000]);
    F.uniform_(u, -2, 3, Generator.seeded(4));
    assert.deepEqual(u.toArray(), v);
    const n = zeros([4000]);
    F.normal_(n, 5, 2, Generator.seeded(4));
    const nv = n.toArray();
    const mean = nv.reduce((a, b) => a + b, 0) / nv.length;
    assert.ok(Math.abs(mean - 5) < 4 * 2 / Math.sqrt(4000), `mean ${mean}`);
  });
});

test('dropout in training zeroes about p and scales survivors by 1/(1-p); identity in eval', () => {
  tidy(() => {
    manualSeed(3);
    const x = tensor(new Float32Array(10000).fill(1));
    const y = F.dropout(x, 0.25, true).toArray();
    const zerosCount = y.filter((v) => v === 0).length;
    assert.ok(y.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6));
    assert.ok(Math.abs(zerosCount / 10000 - 0.25) < 4 * Math.sqrt(0.25 * 0.75 / 10000));
    assert.deepEqual(F.dropout(x, 0.25, false).toArray(), x.toArray());
  });
});
