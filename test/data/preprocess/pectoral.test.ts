import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GrayImage } from '../../../src/data/image.js';
import { findBreast } from '../../../src/data/preprocess/index.js';

/**
 * A synthetic MLO film, 400 x 600, chest wall on the left: a breast (half-ellipse, grey 110 with
 * a deterministic texture of +-12) and a pectoral wedge (grey 200) left of the line
 * x = 160 - 0.5 y, which meets the chest wall at y = 320. Mirrored when `right`.
 */
function mloFilm(options: { muscle: boolean; right?: boolean }): { image: GrayImage; inMuscle: (x: number, y: number) => boolean } {
  const W = 400;
  const H = 600;
  const inBreast = (x: number, y: number): boolean => (x * x) / (360 * 360) + ((y - 300) * (y - 300)) / (300 * 300) <= 1;
  const inMuscle = (x: number, y: number): boolean => options.muscle && x < 160 - 0.5 * y;
  const data = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (!inBreast(x, y)) continue;
      const v = inMuscle(x, y) ? 200 : 110 + Math.round(12 * Math.sin(x / 7) * Math.cos(y / 11));
      data[y * W + (options.right ? W - 1 - x : x)] = v;
    }
  }
  const image: GrayImage = { width: W, height: H, bitDepth: 8, data, meta: { source: 'synthetic', format: 'png' } };
  return { image, inMuscle: (x, y) => inMuscle(options.right ? W - 1 - x : x, y) };
}

test('the pectoral wedge of a synthetic MLO film is found and removed, left and right', () => {
  for (const right of [false, true]) {
    const { image, inMuscle } = mloFilm({ muscle: true, right });
    const b = findBreast(image, { pectoral: 'suppress', laterality: right ? 'R' : 'L', view: 'MLO' });
    assert.ok(b.pectoral, `found (${right ? 'right' : 'left'})`);
    // The crop starts at column 0 of the breast (x 0..359 before any flip) and row 0.
    assert.ok(Math.abs(b.pectoral.top - 160) <= 8, `top ${b.pectoral.top}`);
    assert.ok(Math.abs(b.pectoral.slope + 0.5) <= 0.05, `slope ${b.pectoral.slope}`);
    const plain = findBreast(image, { laterality: right ? 'R' : 'L' }).mask();
    const mask = b.mask();
    let muscle = 0;
    let removedMuscle = 0;
    let removedOther = 0;
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) {
        const i = y * image.width + x;
        if (inMuscle(x, y) && plain[i]) muscle++;
        if (plain[i] && !mask[i]) inMuscle(x, y) ? removedMuscle++ : removedOther++;
      }
    }
    assert.ok(removedMuscle >= 0.95 * muscle, `${removedMuscle} of ${muscle} muscle pixels removed`);
    assert.ok(removedOther <= 0.05 * muscle, `${removedOther} breast pixels removed with it`);
  }
});

test('no muscle, a CC view or the default keep: nothing is removed', () => {
  const { image } = mloFilm({ muscle: false });
  const plain = findBreast(image, { laterality: 'L' });
  assert.equal(plain.pectoral, undefined, 'keep is the default and reports nothing');
  const none = findBreast(image, { pectoral: 'suppress', laterality: 'L', view: 'MLO' });
  assert.equal(none.pectoral, null);
  assert.deepEqual(none.mask(), plain.mask());
  const cc = findBreast(mloFilm({ muscle: true }).image, { pectoral: 'suppress', laterality: 'L', view: 'CC' });
  assert.equal(cc.pectoral, undefined, 'craniocaudal views are left alone');
});
