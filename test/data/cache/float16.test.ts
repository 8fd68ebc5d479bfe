import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../../src/tensor/index.js';
import { fromHalfBits, toHalfArray } from '../../../src/data/cache/float16.js';

test('float32 -> float16 bits match libtorch (rounding ties, subnormals, overflow)', () => {
  const special = [0, -0, 1, 0.5, 1 / 3, 2 ** -14, 2 ** -24, 2 ** -25, 3 * 2 ** -26, 2 ** -30, 65504, 65520, 1e6, -1e6, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 0.1, Infinity, -Infinity];
  const rnd = Array.from({ length: 5000 }, (_, i) => Math.sin(i * 12.9898) * 0.5 + 0.5); // [0, 1], the cache's range
  const values = Float32Array.from([...special, ...rnd]);
  const t = tensor(values).to('float16');
  const expected = t.data() as Uint16Array;
  t.dispose();
  assert.deepEqual(Array.from(toHalfArray(values)), Array.from(expected));
});

test('fromHalfBits inverts toHalfBits and the error on [0, 1] is at most 2^-12', () => {
  for (let i = 0; i <= 1000; i++) {
    const v = i / 1000;
    const h = toHalfArray([v])[0]!;
    assert.ok(Math.abs(fromHalfBits(h) - v) <= 2 ** -12, `${v}`);
  }
  assert.ok(Number.isNaN(fromHalfBits(toHalfArray([NaN])[0]!)));
});
