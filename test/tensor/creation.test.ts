import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, zeros, ones, full, arange, eye, linspace, empty, zerosLike, onesLike, tidy, type DType } from '../../src/tensor/index.js';
import { assertClose } from './helpers.js';

const ALL: DType[] = ['float32', 'float16', 'bfloat16', 'float64', 'int64', 'int32', 'uint8', 'bool'];

test('tensor() from nested arrays keeps shape, dtype and values for every dtype', () => {
  tidy(() => {
    for (const dtype of ALL) {
      const src = dtype === 'bool' ? [[1, 0, 1], [0, 0, 1]] : [[1, 2, 3], [4, 5, 250]];
      const t = tensor(src, { dtype });
      assert.deepEqual(t.shape, [2, 3], dtype);
      assert.equal(t.dtype, dtype);
      assert.deepEqual(t.toArray(), src.flat(), dtype);
    }
  });
});

test('tensor() defaults: numbers become float32, a scalar has shape []', () => {
  tidy(() => {
    const t = tensor([[0.1, -2.5]]);
    assert.equal(t.dtype, 'float32');
    assert.deepEqual(t.shape, [1, 2]);
    assert.deepEqual(Array.from(t.data() as Float32Array), [Math.fround(0.1), -2.5]);
    const s = tensor(7.5);
    assert.deepEqual(s.shape, []);
    assert.equal(s.item(), 7.5);
    assert.deepEqual(tensor([]).shape, [0]);
    assert.deepEqual(tensor([[[1], [2]], [[3], [4]]]).shape, [2, 2, 1]);
    // booleans are numbers 0/1
    assert.deepEqual(tensor([true, false], { dtype: 'bool' }).toArray(), [1, 0]);
    assert.equal(tensor([true, false], { dtype: 'bool' }).select(0, 0).item(), 1);
  });
});

test('tensor() with an explicit shape reshapes the flat values', () => {
  tidy(() => {
    const t = tensor([1, 2, 3, 4, 5, 6], [3, 2]);
    assert.deepEqual(t.shape, [3, 2]);
    assert.equal(t.select(0, 2).select(0, 1).item(), 6);
    assert.throws(() => tensor([1, 2, 3], [2, 2]), /do not fill shape/);
  });
});

test('data() returns the right typed array per dtype', () => {
  tidy(() => {
    assert.ok(tensor([1.5, 2], { dtype: 'float32' }).data() instanceof Float32Array);
    assert.ok(tensor([1.5, 2], { dtype: 'float64' }).data() instanceof Float64Array);
    const i64 = tensor([1, -2, 3], { dtype: 'int64' }).data();
    assert.ok(i64 instanceof BigInt64Array);
    assert.deepEqual(Array.from(i64 as BigInt64Array), [1n, -2n, 3n]);
    assert.deepEqual(Array.from(tensor([-7, 8], { dtype: 'int32' }).data() as Int32Array), [-7, 8]);
    assert.deepEqual(Array.from(tensor([0, 255], { dtype: 'uint8' }).data() as Uint8Array), [0, 255]);
    assert.deepEqual(Array.from(tensor([0, 3], { dtype: 'bool' }).data() as Uint8Array), [0, 1]);
    assert.ok(tensor([1], { dtype: 'float16' }).data() instanceof Uint16Array);
    assert.ok(tensor([1], { dtype: 'bfloat16' }).data() instanceof Uint16Array);
  });
});

test('bfloat16 bits: hand-computed patterns, round-to-nearest-even', () => {
  tidy(() => {
    const vals = [1, -2, 0.5, 3, 0, 1 + 2 ** -8, 1 + 3 * 2 ** -8, 3.140625];
    // 1+2^-8 is halfway between 0x3F80 and 0x3F81 -> even 0x3F80; 1+3*2^-8 halfway 0x3F81/0x3F82 -> 0x3F82
    const want = [0x3f80, 0xc000, 0x3f00, 0x4040, 0x0000, 0x3f80, 0x3f82, 0x4049];
    assert.deepEqual(Array.from(tensor(vals, { dtype: 'bfloat16' }).data() as Uint16Array), want);
    // and from a float32 typed array
    assert.deepEqual(Array.from(tensor(new Float32Array(vals), { dtype: 'bfloat16' }).data() as Uint16Array), want);
  });
});

test('float16 bits: hand-computed patterns, max, subnormal and rounding', () => {
  tidy(() => {
    const vals = [1, -2, 0.5, 65504, 2 ** -24, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 3.140625];
    const want = [0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001, 0x3c00, 0x3c02, 0x4248];
    assert.deepEqual(Array.from(tensor(vals, { dtype: 'float16' }).data() as Uint16Array), want);
  });
});

test('tensor() from raw 16-bit patterns reads back the decoded values', () => {
  tidy(() => {
    const bf = tensor(new Uint16Array([0x3f80, 0x4049, 0xc000, 0x7f80]), { dtype: 'bfloat16' });
    assert.equal(bf.dtype, 'bfloat16');
    assert.deepEqual(bf.toArray(), [1, 3.140625, -2, Infinity]);
    const h = tensor(new Uint16Array([0x3c00, 0x4248, 0x0001, 0xfc00]), [2, 2], { dtype: 'float16' });
    assert.equal(h.dtype, 'float16');
    assert.deepEqual(h.shape, [2, 2]);
    assert.deepEqual(h.toArray(), [1, 3.140625, 2 ** -24, -Infinity]);
  });
});

test('tensor() from typed arrays of every kind, copying the data', () => {
  tidy(() => {
    const f32 = new Float32Array([1.25, -3, 4, 8]);
    const t = tensor(f32, [2, 2]);
    f32[0] = 99; // the tensor holds a copy
    assert.equal(t.dtype, 'float32');
    assert.deepEqual(t.toArray(), [1.25, -3, 4, 8]);

    const f64 = tensor(new Float64Array([0.1, 1e300]));
    assert.equal(f64.dtype, 'float64');
    assert.deepEqual(f64.toArray(), [0.1, 1e300]);

    const i64 = tensor(new BigInt64Array([2n ** 40n + 1n, -5n]));
    assert.equal(i64.dtype, 'int64');
    assert.deepEqual(Array.from(i64.data() as BigInt64Array), [2n ** 40n + 1n, -5n]);

    const i32 = tensor(new Int32Array([-2147483648, 2147483647]));
    assert.equal(i32.dtype, 'int32');
    assert.deepEqual(i32.toArray(), [-2147483648, 2147483647]);

    const u8 = tensor(new Uint8Array([0, 1, 255]));
    assert.equal(u8.dtype, 'uint8');
    assert.deepEqual(u8.toArray(), [0, 1, 255]);

    const b = tensor(new Uint8Array([0, 2, 1]), { dtype: 'bool' });
    assert.equal(b.dtype, 'bool');
    assert.deepEqual(b.toArray(), [0, 1, 1]);

    // conversion requested by dtype
    const cast = tensor(new Float64Array([1.5, -2.75]), { dtype: 'float32' });
    assert.equal(cast.dtype, 'float32');
    assert.deepEqual(cast.toArray(), [1.5, -2.75]);
    const trunc = tensor(new Float32Array([2.7, -2.7]), { dtype: 'int32' });
    assert.deepEqual(trunc.toArray(), [2, -2]);

    // a subarray view copies only its own window
    const sub = new Float32Array([1, 2, 3, 4]).subarray(1, 3);
    assert.deepEqual(tensor(sub).toArray(), [2, 3]);
  });
});

test('tensor() options: requiresGrad', () => {
  tidy(() => {
    assert.equal(tensor([1, 2], { requiresGrad: true }).requiresGrad, true);
    assert.equal(tensor([1, 2]).requiresGrad, false);
    assert.equal(zeros([2], { requiresGrad: true }).requiresGrad, true);
  });
});

test('requiresGrad is honoured by zeros/ones/full and random factories', () => {
  tidy(() => {
    assert.equal(ones([2], { requiresGrad: true }).requiresGrad, true);
    assert.equal(full([2], 1, { requiresGrad: true }).requiresGrad, true);
    assert.equal(tensor(new Float32Array(2), { requiresGrad: true }).requiresGrad, true);
  });
});

test('requiresGrad is honoured by empty/arange/eye/linspace', () => {
  tidy(() => {
    assert.equal(empty([2], { requiresGrad: true }).requiresGrad, true, 'empty');
    assert.equal(arange(0, 3, 1, { dtype: 'float32', requiresGrad: true }).requiresGrad, true, 'arange');
    assert.equal(eye(2, { requiresGrad: true }).requiresGrad, true, 'eye');
    assert.equal(linspace(0, 1, 3, { requiresGrad: true }).requiresGrad, true, 'linspace');
  });
});

test('a Uint16Array with a non-16-bit float dtype converts integer values (16-bit pixels)', () => {
  tidy(() => {
    assert.deepEqual(tensor(new Uint16Array([0x3f80, 0, 65535]), [3], { dtype: 'float32' }).toArray(), [16256, 0, 65535]);
    assert.deepEqual(tensor(new Uint16Array([1, 2]), [2], { dtype: 'int64' }).toArray(), [1, 2]);
    assert.throws(() => tensor(new Uint16Array([1])), /ambiguous/);
  });
});

test('ragged nested input throws', () => {
  assert.throws(() => tensor([[1, 2], [3]]), /ragged/);
  assert.throws(() => tensor([[1, 2, 3], [4, 5]]), /ragged/);
});

test('ragged nested input whose total count happens to fit the first-element shape throws', () => {
  // [[1,2],[3,4,5],[6]]: inferred shape [3,2] has 6 elements, as many as the ragged input
  assert.throws(() => tidy(() => tensor([[1, 2], [3, 4, 5], [6]])));
  // [[[1,2]],[3,4]]: depth mismatch, inferred [2,1,2] = 4 values
  assert.throws(() => tidy(() => tensor([[[1, 2]], [3, 4]] as never)));
});

test('zeros, ones, full, empty, zerosLike, onesLike', () => {
  tidy(() => {
    const z = zeros([2, 3]);
    assert.equal(z.dtype, 'float32');
    assert.deepEqual(z.shape, [2, 3]);
    assert.deepEqual(z.toArray(), [0, 0, 0, 0, 0, 0]);
    const o = ones([4], { dtype: 'int32' });
    assert.equal(o.dtype, 'int32');
    assert.deepEqual(o.toArray(), [1, 1, 1, 1]);
    const f = full([2, 2], 0.25, { dtype: 'float64' });
    assert.equal(f.dtype, 'float64');
    assert.deepEqual(f.toArray(), [0.25, 0.25, 0.25, 0.25]);
    const fi = full([3], 7, { dtype: 'int64' });
    assert.equal(fi.dtype, 'int64');
    assert.deepEqual(fi.toArray(), [7, 7, 7]);
    assert.equal(full([2], 3).dtype, 'float32');
    assert.deepEqual(full([2], -1.5).toArray(), [-1.5, -1.5]);
    const e = empty([3, 0, 2]);
    assert.deepEqual(e.shape, [3, 0, 2]);
    assert.equal(e.numel, 0);
    const zl = zerosLike(o);
    assert.equal(zl.dtype, 'int32');
    assert.deepEqual(zl.toArray(), [0, 0, 0, 0]);
    const ol = onesLike(f);
    assert.deepEqual(ol.shape, [2, 2]);
    assert.equal(ol.dtype, 'float64');
    assert.deepEqual(ol.toArray(), [1, 1, 1, 1]);
    assert.deepEqual(zeros([]).shape, []);
  });
});

test('arange: int64 by default, end-exclusive, negative and fractional steps', () => {
  tidy(() => {
    const a = arange(5);
    assert.equal(a.dtype, 'int64');
    assert.deepEqual(a.toArray(), [0, 1, 2, 3, 4]);
    assert.deepEqual(arange(2, 6).toArray(), [2, 3, 4, 5]);
    assert.deepEqual(arange(5, 0, -2).toArray(), [5, 3, 1]);
    const f = arange(1, 2, 0.25, { dtype: 'float32' });
    assert.equal(f.dtype, 'float32');
    assert.deepEqual(f.toArray(), [1, 1.25, 1.5, 1.75]);
    assert.deepEqual(arange(0).shape, [0]);
  });
});

test('eye and linspace', () => {
  tidy(() => {
    const i = eye(3);
    assert.deepEqual(i.shape, [3, 3]);
    assert.deepEqual(i.toArray(), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    assert.equal(eye(2, { dtype: 'int64' }).dtype, 'int64');
    const l = linspace(0, 1, 5);
    assert.equal(l.dtype, 'float32');
    assert.deepEqual(l.toArray(), [0, 0.25, 0.5, 0.75, 1]);
    assertClose(linspace(-1, 1, 4, { dtype: 'float64' }).toArray(), [-1, -1 / 3, 1 / 3, 1], 1e-15);
    assert.deepEqual(linspace(3, 3, 1).toArray(), [3]);
  });
});
