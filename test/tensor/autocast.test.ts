import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, tidy, F, autocast, resolveAutocast, cpuHasFastBf16, cpuFeatures, Tensor } from '../../src/tensor/index.js';
import { randomArray, prod } from './helpers.js';

function rnd(shape: number[], seed: number): Tensor {
  return tensor(new Float32Array(randomArray(prod(shape), seed)), shape);
}

/** Max |a - b| relative to max |b|. */
function relErr(a: number[], b: number[]): number {
  let num = 0, den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / den;
}

const ops = () => {
  const x = rnd([2, 3, 8, 8], 1);
  const w = rnd([4, 3, 3, 3], 2);
  const b = rnd([4], 3);
  const a = rnd([5, 16], 4);
  const lw = rnd([6, 16], 5);
  const lb = rnd([6], 6);
  const m = rnd([16, 7], 7);
  return {
    conv: () => F.conv2d(x, w, b, { padding: 1 }),
    linear: () => F.linear(a, lw, lb),
    matmul: () => a.matmul(m),
    mm: () => a.mm(m),
  };
};

test('inside autocast bf16, conv2d/linear/matmul output bfloat16 and stay close to float32; outside float32', () => {
  tidy(() => {
    const o = ops();
    for (const [name, f] of Object.entries(o)) {
      const ref = f();
      assert.equal(ref.dtype, 'float32', `${name} outside`);
      const low = autocast({ dtype: 'bfloat16' }, f);
      assert.equal(low.dtype, 'bfloat16', `${name} inside`);
      // bf16 has 8 significant bits: inputs rounded to ~2^-9 relative, sums of tens of terms
      const e = relErr(low.toArray(), ref.toArray());
      assert.ok(e < 2e-2, `${name} rel err ${e}`);
      assert.ok(e > 0, `${name}: bf16 result identical to float32, autocast did not lower precision`);
      assert.equal(f().dtype, 'float32', `${name} after`);
    }
  });
});

test('autocast defaults to bfloat16 on cpu; enabled:false does nothing', () => {
  tidy(() => {
    const o = ops();
    assert.equal(autocast({}, o.matmul).dtype, 'bfloat16');
    assert.equal(autocast({ enabled: false }, o.matmul).dtype, 'float32');
    // a disabled region nested in an enabled one turns autocast off, then back on
    autocast({ dtype: 'bfloat16' }, () => {
      assert.equal(autocast({ enabled: false }, o.linear).dtype, 'float32');
      assert.equal(o.linear().dtype, 'bfloat16');
      assert.equal(autocast({ dtype: 'bfloat16' }, o.linear).dtype, 'bfloat16');
      assert.equal(o.conv().dtype, 'bfloat16');
    });
    assert.equal(o.linear().dtype, 'float32');
  });
});

test('autocast defaults to bfloat16 on cuda as on cpu (no loss scaling here for float16); float16 only when asked', () => {
  assert.deepEqual(resolveAutocast({ device: 'cuda' }), { device: 'cuda', dtype: 'bfloat16', enabled: true });
  assert.deepEqual(resolveAutocast({}), { device: 'cpu', dtype: 'bfloat16', enabled: true });
  assert.deepEqual(resolveAutocast({ device: 'cuda', dtype: 'float16', enabled: false }), { device: 'cuda', dtype: 'float16', enabled: false });
  assert.throws(() => resolveAutocast({ device: 'cuda', dtype: 'float32' as never }), /dtype must be bfloat16 or float16, got 'float32'/);
});

test('autocast returns the function value and restores the state after an exception', () => {
  tidy(() => {
    const o = ops();
    assert.equal(autocast({ dtype: 'bfloat16' }, () => 42), 42);
    assert.throws(() => autocast({ dtype: 'bfloat16' }, () => { o.mm(); throw new Error('inside'); }), /inside/);
    assert.equal(o.mm().dtype, 'float32');
    assert.equal(o.conv().dtype, 'float32');
    assert.throws(() => autocast({ dtype: 'bfloat16' }, () => Promise.resolve(0)), /synchronous/);
    assert.equal(o.mm().dtype, 'float32');
  });
});

test('autocast keeps float32 outputs of precision-sensitive ops and lets gradients flow to float32 leaves', () => {
  tidy(() => {
    const w = rnd([6, 16], 8).requiresGrad_();
    const a = rnd([5, 16], 9);
    const loss = autocast({ dtype: 'bfloat16' }, () => {
      const y = F.linear(a, w);
      assert.equal(y.dtype, 'bfloat16');
      return y.float().square().sum();
    });
    assert.equal(loss.dtype, 'float32');
    loss.backward();
    const g = w.grad!;
    assert.equal(g.dtype, 'float32');
    assert.deepEqual(g.shape, [6, 16]);
    // d/dW sum((aW^T)^2) = 2 (aW^T)^T a, compared with float32 maths
    const ref = F.linear(a, w).detach().t().matmul(a).mul(2);
    assert.ok(relErr(g.toArray(), ref.toArray()) < 3e-2);
  });
});

test('cpuHasFastBf16 agrees with cpuFeatures', () => {
  const f = cpuFeatures();
  assert.equal(cpuHasFastBf16(), f.avx512bf16 || f.amxBf16);
});
