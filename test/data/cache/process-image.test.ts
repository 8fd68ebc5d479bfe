import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderPhantom } from '../../../src/data/phantom/index.js';
import { preprocessMammogram } from '../../../src/data/preprocess/index.js';
import { PREPARE_PREPROCESS, processImage } from '../../../src/data/cache/process-image.js';
import { toHalfArray } from '../../../src/data/cache/float16.js';

test('one pass to several sizes equals preprocessMammogram at each size, bit for bit', () => {
  for (const [index, laterality] of [[0, 'L'], [1, 'R']] as const) {
    const ph = renderPhantom({ seed: 'multi', index, label: 'malignant', laterality, size: 300 });
    const sizes = [32, 100, 256];
    const got = processImage(ph.image, sizes, { laterality });
    assert.equal(got.outputs.length, 3);
    for (const out of got.outputs) {
      const ref = preprocessMammogram(ph.image, { ...PREPARE_PREPROCESS, size: out.size, laterality });
      assert.deepEqual(out.transform, ref.transform);
      assert.deepEqual(out.pixels, toHalfArray(ref.data), `size ${out.size}`);
    }
    assert.equal(got.foundBreast, true);
  }
});
