/**
 * Regression guard for the preparation speed-ups (issue 3): the prepared mini-MIAS tensors must
 * stay bit-identical to what the original flood-fill / full-plane implementation produced.
 * The hashes were first computed with that code before it was replaced; they were renewed when
 * the breast mask gained its opening, after the run-length masks of all 322 films
 * were checked equal to scipy.ndimage's (binary_erosion by a 9 x 9 square with border_value 1,
 * the largest 8-connected component, binary_dilation by 17 x 17 and the foreground,
 * binary_fill_holes).
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
  32: '10579f63b9285d2570da9cd0d4cf4080d1f3291e03329452549a8176b790cbd8',
  256: 'c7627a0ae8def925c7022e51c4c17a27226232a227c63c0519b3a5079783f3fd',
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
