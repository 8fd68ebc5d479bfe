import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor, autocast, memoryStats, tensor } from '../../src/tensor/index.js';
import { ntXent } from '../../src/nn/ntxent.js';

type M = number[][];
const close = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} != ${b} (tol ${tol})`);

/** Deterministic float64 draws (mulberry32, then Box-Muller). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  const u = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}
const randMat = (r: () => number, n: number, d: number): M => Array.from({ length: n }, () => Array.from({ length: d }, r));

const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
const cos = (a: number[], b: number[]) => dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));

/**
 * The paper's Eq. 1-3 loop by loop: l(i,j) = -log(exp(s_ij/tau) / sum_{k != i} exp(s_ik/tau)),
 * L = mean of l over all 2N anchors; anchor i's positive is i+N (block layout). Also the
 * mean softmax entropy over each anchor's 2N-1 candidates.
 */
function reference(z1: M, z2: M, tau: number): { loss: number; entropy: number } {
  const z = [...z1, ...z2];
  const n = z1.length;
  let loss = 0;
  let entropy = 0;
  for (let i = 0; i < 2 * n; i++) {
    const j = (i + n) % (2 * n);
    let denom = 0;
    for (let k = 0; k < 2 * n; k++) if (k !== i) denom += Math.exp(cos(z[i]!, z[k]!) / tau);
    loss += -Math.log(Math.exp(cos(z[i]!, z[j]!) / tau) / denom);
    for (let k = 0; k < 2 * n; k++) {
      if (k === i) continue;
      const p = Math.exp(cos(z[i]!, z[k]!) / tau) / denom;
      entropy -= p * Math.log(p);
    }
  }
  return { loss: loss / (2 * n), entropy: entropy / (2 * n) };
}

const f64 = (m: M, requiresGrad = false) => tensor(m, { dtype: 'float64', requiresGrad });

test('matches the paper formula loop by loop (float64 and float32)', () => {
  const r = rng(1);
  for (const n of [2, 3, 8]) {
    for (const d of [2, 5, 16]) {
      for (const tau of [0.1, 0.5, 1]) {
        const a = randMat(r, n, d);
        const b = randMat(r, n, d);
        const want = reference(a, b, tau);
        const out = ntXent(f64(a), f64(b), { temperature: tau });
        assert.equal(out.loss.dtype, 'float64');
        assert.deepEqual(out.loss.shape, []);
        close(out.loss.item(), want.loss, 1e-10, `N=${n} D=${d} tau=${tau}`);
        close(out.entropy, want.entropy, 1e-10, 'entropy');
        out.loss.dispose();
        const o32 = ntXent(tensor(a), tensor(b), { temperature: tau });
        assert.equal(o32.loss.dtype, 'float32');
        close(o32.loss.item(), want.loss, 1e-5 * Math.max(1, want.loss), `float32 N=${n} D=${d} tau=${tau}`);
        o32.loss.dispose();
      }
    }
  }
});

test('default temperature is 0.5', () => {
  const r = rng(2);
  const a = randMat(r, 4, 3);
  const b = randMat(r, 4, 3);
  const out = ntXent(f64(a), f64(b));
  close(out.loss.item(), reference(a, b, 0.5).loss, 1e-10);
});

test('all embeddings equal: exactly ln(2N-1), maximal entropy', () => {
  for (const n of [2, 3, 8]) {
    const same = Array.from({ length: n }, () => [0.3, -1.2, 2.5]);
    for (const tau of [0.1, 0.5, 1]) {
      const out = ntXent(f64(same), f64(same), { temperature: tau });
      // every logit is 1/tau, so the softmax is uniform over 2N-1 candidates
      close(out.loss.item(), Math.log(2 * n - 1), 1e-12);
      close(out.entropy, Math.log(2 * n - 1), 1e-12);
      out.loss.dispose();
    }
  }
});

test('symmetric under swapping z1 and z2', () => {
  const r = rng(3);
  const a = randMat(r, 5, 7);
  const b = randMat(r, 5, 7);
  const x = ntXent(f64(a), f64(b), { temperature: 0.2 });
  const y = ntXent(f64(b), f64(a), { temperature: 0.2 });
  close(x.loss.item(), y.loss.item(), 1e-12);
  close(x.accuracy, y.accuracy, 0);
  close(x.entropy, y.entropy, 1e-12);
});

test('invariant to the scale of each embedding (cosine similarity)', () => {
  const r = rng(4);
  const a = randMat(r, 3, 4);
  const b = randMat(r, 3, 4);
  const scaled = a.map((row, i) => row.map((v) => v * (i + 1) * 7.5));
  close(ntXent(f64(a), f64(b)).loss.item(), ntXent(f64(scaled), f64(b)).loss.item(), 1e-12);
});

test('gradient matches central finite differences of the reference (float64)', () => {
  const r = rng(5);
  for (const [n, d, tau] of [[2, 3, 0.5], [3, 4, 0.1], [4, 2, 1]] as const) {
    const a = randMat(r, n, d);
    const b = randMat(r, n, d);
    const ta = f64(a, true);
    const tb = f64(b, true);
    const out = ntXent(ta, tb, { temperature: tau });
    out.loss.backward();
    const ga = ta.grad!.toArray();
    const gb = tb.grad!.toArray();
    const eps = 1e-6;
    for (const [which, m, g] of [['z1', a, ga], ['z2', b, gb]] as const) {
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < d; k++) {
          const plus = m.map((row) => [...row]);
          const minus = m.map((row) => [...row]);
          plus[i]![k]! += eps;
          minus[i]![k]! -= eps;
          const lp = which === 'z1' ? reference(plus, b, tau).loss : reference(a, plus, tau).loss;
          const lm = which === 'z1' ? reference(minus, b, tau).loss : reference(a, minus, tau).loss;
          close(g[i * d + k]!, (lp - lm) / (2 * eps), 1e-7, `d/d${which}[${i},${k}] N=${n} tau=${tau}`);
        }
      }
    }
  }
});

test('accuracy: 1 for identical distinct views, 0 when every positive is beaten, computed without grad', () => {
  const r = rng(6);
  const a = randMat(r, 8, 16);
  const same = ntXent(f64(a), f64(a), { temperature: 0.5 });
  assert.equal(same.accuracy, 1);
  // N=2: z1 = [e1, e2], z2 = [e2, e1]: each anchor's positive is orthogonal to it while a
  // negative equals it, so the positive never wins.
  const swapped = ntXent(f64([[1, 0], [0, 1]]), f64([[0, 1], [1, 0]]));
  assert.equal(swapped.accuracy, 0);
  // Only the first pair aligned: N=2, z1 = [e1, e2], z2 = [e1, -e2]. Anchors 0 and 2 find their
  // positive (cos 1); anchor 1 (e2) has cos -1 to its positive and 0 to e1: wrong; same for 3.
  const half = ntXent(f64([[1, 0], [0, 1]]), f64([[1, 0], [0, -1]]));
  assert.equal(half.accuracy, 0.5);
});

test('errors: temperature, shapes, N < 2', () => {
  const z = f64([[1, 2], [3, 4]]);
  assert.throws(() => ntXent(z, z, { temperature: 0 }), /temperature/);
  assert.throws(() => ntXent(z, z, { temperature: -0.5 }), /temperature/);
  assert.throws(() => ntXent(z, z, { temperature: Number.NaN }), /temperature/);
  assert.throws(() => ntXent(z, f64([[1, 2, 3], [4, 5, 6]])), /differ in shape/);
  assert.throws(() => ntXent(z, f64([[1, 2], [3, 4], [5, 6]])), /differ in shape/);
  assert.throws(() => ntXent(f64([[1, 2]]), f64([[3, 4]])), /N >= 2/);
  assert.throws(() => ntXent(tensor([1, 2, 3]), tensor([1, 2, 3])), /\[N, D\]/);
});

/** bf16 bits to numbers: what the engine actually sees after the cast. */
function bf16Values(t: Tensor, n: number, d: number): M {
  const v = t.toArray();
  return Array.from({ length: n }, (_, i) => v.slice(i * d, (i + 1) * d));
}

test('bf16 inputs under autocast: float32 loss equal to the float64 formula on the rounded inputs', () => {
  const r = rng(7);
  const n = 16;
  const d = 32;
  const a = tensor(randMat(r, n, d), { requiresGrad: true });
  const b = tensor(randMat(r, n, d));
  const out = autocast({ dtype: 'bfloat16' }, () => {
    const ha = a.to('bfloat16');
    const hb = b.to('bfloat16');
    const res = ntXent(ha, hb, { temperature: 0.1 });
    return { res, ra: bf16Values(ha, n, d), rb: bf16Values(hb, n, d) };
  });
  assert.equal(out.res.loss.dtype, 'float32');
  // A bf16 similarity matmul is off by ~1e-2 in the logits at tau 0.1; float32 is off by ~1e-6.
  const want = reference(out.ra, out.rb, 0.1).loss;
  close(out.res.loss.item(), want, 2e-5 * want, 'bf16 autocast');
  out.res.loss.backward();
  const g = a.grad!;
  assert.equal(g.dtype, 'float32');
  assert.ok(g.toArray().every(Number.isFinite));
});

test('leaves no tensors behind beyond the returned loss', () => {
  const r = rng(8);
  const a = f64(randMat(r, 4, 3));
  const b = f64(randMat(r, 4, 3));
  const before = memoryStats().liveTensors;
  const out = ntXent(a, b);
  assert.equal(memoryStats().liveTensors, before + 1);
  out.loss.dispose();
  assert.equal(memoryStats().liveTensors, before);
});
