/**
 * Regression guard for the preparation speed-ups (issue 3): the prepared mini-MIAS tensors must
 * stay bit-identical to what the original flood-fill / full-plane implementation produced.
 * The hashes were computed with that code before it was replaced.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { collectSource, prepareDataset } from '../../../src/data/cache/index.js';
import { readSafetensorsFile } from '../../../src/tensor/safetensors-format.js';
import { sharedDir } from '../readers/shared-data.js';
import { tempDir } from './helpers.js';

const EXPECTED: Record<number, string> = {
  32: '43d665ccbc363165d8e8f09df8172db0ac79851d7b7380bdf1178834c7baaa09',
  256: '82936d1adafbc32b7dcd822d2fb72e37328822912a35f7e467c46afe2369b55c',
};

test('mini-MIAS prepared at 32 and 256 px is bit-identical to the reference hashes', async (t) => {
  const mias = sharedDir('mini-mias');
  if (!mias) return t.skip('../shared/data/mini-mias absent');
  const out = await tempDir('mias-identity');
  try {
    const res = await prepareDataset({ source: await collectSource('mias', mias), out, sizes: [32, 256] });
    for (const f of res.files) {
      const images = (await readSafetensorsFile(f.path)).entries.images!;
      assert.deepEqual(images.shape, [322, 1, f.size, f.size]);
      assert.equal(createHash('sha256').update(images.data).digest('hex'), EXPECTED[f.size], `images tensor at ${f.size} px`);
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
