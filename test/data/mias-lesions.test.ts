/**
 * Every annotated mini-MIAS lesion centre, mapped into a 512 px prepared image, must land on the
 * breast mask: otherwise the lesion-centred patches would silently drop it (or the y flip, the
 * laterality flip or the crop is wrong).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { collectSource, loadPreparedDataset, prepareDataset } from '../../src/data/cache/index.js';
import { findBreast } from '../../src/data/preprocess/index.js';
import { readImage } from '../../src/data/readers/index.js';
import { PreparedPlanes } from '../../src/data/patches.js';
import { sharedDir } from './readers/shared-data.js';
import { tempDir } from './cache/helpers.js';

/**
 * Annotations that lie off the breast in the source itself. mdb212 (G CALC B 687 882 3): row
 * 1023 - 882 = 141 is background (grey ~4) from x ~650 on, so the centre sits ~55 original pixels
 * (11 mm) beyond the skin line for a 3 px cluster; reading y from the top (row 882) is background
 * too. Listed here, not tolerated by a looser check, so any new miss still fails.
 */
const OFF_BREAST_IN_SOURCE = new Set(['mdb212']);

/** Distance from (x, y) to the nearest breast pixel of an image, in output pixels. */
function nearestBreast(planes: PreparedPlanes, image: number, x: number, y: number): number {
  let best = Infinity;
  for (let v = 0; v < planes.size; v++) for (let u = 0; u < planes.size; u++) if (planes.isBreast(image, u, v)) best = Math.min(best, Math.hypot(u - x, v - y));
  return best;
}

test('mini-MIAS at 512 px: every annotated lesion centre lies inside the breast mask; output pixels are 0.2 mm / scale', async (t) => {
  const mias = sharedDir('mini-mias');
  if (!mias) return t.skip('../shared/data/mini-mias absent');
  const out = await tempDir('mias-lesions');
  try {
    await prepareDataset({ source: await collectSource('mias', mias), out, sizes: [512] });
    const ds = await loadPreparedDataset(join(out, 'mini-mias-512.safetensors'));
    try {
      const planes = PreparedPlanes.fromTensor(ds.images);
      const outside: string[] = [];
      const known: string[] = [];
      let checked = 0;
      ds.records.forEach((r, i) => {
        for (const l of r.lesions) {
          checked++;
          // isBreast takes the nearest pixel of the fractional output position.
          if (planes.isBreast(i, l.x, l.y)) continue;
          const where = `${r.id} (${l.x.toFixed(1)}, ${l.y.toFixed(1)}) r ${l.radius?.toFixed(1)} ${l.kind}, ${nearestBreast(planes, i, l.x, l.y).toFixed(1)} px from the breast`;
          (OFF_BREAST_IN_SOURCE.has(r.id) ? known : outside).push(where);
        }
      });
      // Info.txt gives a centre for 119 findings (the others are *NOTE 3* or have none).
      assert.equal(checked, 119);
      assert.deepEqual(outside, [], `${outside.length} of ${checked} lesion centres off the breast`);
      // The known miss is still there and well clear of the mask (not a rounding matter).
      assert.equal(known.length, OFF_BREAST_IN_SOURCE.size, `known misses now on the breast: ${known.join('; ')}`);
      const r212 = ds.records.findIndex((r) => r.id === 'mdb212');
      const l212 = ds.records[r212]!.lesions[0]!;
      assert.ok(nearestBreast(planes, r212, l212.x, l212.y) > 20, known.join('; '));

      // 200 micron pixels: an output pixel is 0.2 mm / scale, i.e. the padded square's side in mm over 512.
      for (const r of ds.records) {
        assert.equal(r.mmPerPixel, 0.2 / r.transform.scale, r.id);
        assert.ok(Math.abs(r.mmPerPixel! - (0.2 * r.transform.squareSize) / 512) < 1e-12, r.id);
      }
      // mdb212's breast spans all 1024 rows: 1024 -> 512 is scale 0.5, 0.4 mm per output pixel.
      assert.deepEqual([ds.records[r212]!.transform.squareSize, ds.records[r212]!.transform.scale, ds.records[r212]!.mmPerPixel], [1024, 0.5, 0.4]);
    } finally {
      ds.images.dispose();
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});

test('mini-MIAS: the film label of mdb003, joined to the breast by the border row, is outside the mask', async (t) => {
  const mias = sharedDir('mini-mias');
  if (!mias) return t.skip('../shared/data/mini-mias absent');
  const image = await readImage(join(mias, 'mdb003.png'));
  const opened = findBreast(image).mask();
  const plain = findBreast(image, { opening: 0 }).mask();
  // The "ML" label: white (grey 231-239) at x 240-280, y 20-50 of the 1024 px film.
  for (const [x, y] of [[240, 20], [260, 30], [280, 50]] as const) {
    assert.ok(image.data[y * 1024 + x]! > 200, `label pixel (${x}, ${y})`);
    assert.equal(plain[y * 1024 + x], 1, 'without the opening the label is part of the breast');
    assert.equal(opened[y * 1024 + x], 0, 'with it the label is not');
  }
});

test('mini-MIAS with --pectoral suppress: the muscle is removed on most films and no lesion centre with it', async (t) => {
  const mias = sharedDir('mini-mias');
  if (!mias) return t.skip('../shared/data/mini-mias absent');
  const out = await tempDir('mias-pectoral');
  try {
    const res = await prepareDataset({ source: await collectSource('mias', mias), out, sizes: [256], pectoral: 'suppress' });
    const ds = await loadPreparedDataset(join(out, 'mini-mias-256.safetensors'));
    try {
      const removed = ds.records.filter((r) => r.pectoralRemoved === true).length;
      assert.equal(ds.records.filter((r) => r.pectoralRemoved === false).length, 322 - removed);
      assert.equal(res.report.counts.pectoralRemoved, removed);
      assert.equal(ds.meta.preprocess.pectoral, 'suppress');
      // 232 of 322 when this test was written; the rest show no muscle-shaped edge.
      assert.ok(removed >= 200 && removed <= 322, `${removed} of 322`);
      const planes = PreparedPlanes.fromTensor(ds.images);
      const lost: string[] = [];
      ds.records.forEach((r, i) => {
        for (const l of r.lesions) if (!OFF_BREAST_IN_SOURCE.has(r.id) && !planes.isBreast(i, l.x, l.y)) lost.push(`${r.id} ${l.kind}`);
      });
      assert.deepEqual(lost, []);
    } finally {
      ds.images.dispose();
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
