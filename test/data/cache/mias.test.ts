import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { toOriginal } from '../../../src/data/preprocess/index.js';
import { collectSource, loadPreparedDataset, prepareDataset } from '../../../src/data/cache/index.js';
import { sharedDir } from '../readers/shared-data.js';
import { tempDir } from './helpers.js';

test('mini-MIAS prepares 322 images at 32 px with the dataset counts', async (t) => {
  const mias = sharedDir('mini-mias');
  if (!mias) return t.skip('../shared/data/mini-mias absent');
  const out = await tempDir('mias');
  const res = await prepareDataset({ source: await collectSource('mias', mias), out, sizes: [32] });
  assert.deepEqual(res.report.counts, { listed: 322, prepared: 322, skipped: 0, adapterProblems: 0, warnings: 0 });

  const started = performance.now();
  const ds = await loadPreparedDataset(join(out, 'mini-mias-32.safetensors'));
  const loadMs = performance.now() - started;
  try {
    assert.ok(loadMs < 1000, `load took ${loadMs.toFixed(0)} ms`);
    assert.deepEqual(ds.images.shape, [322, 1, 32, 32]);
    assert.deepEqual(ds.meta.labels, { normal: 207, benign: 63, malignant: 52 });
    assert.equal(ds.meta.patients, 161);
    assert.equal(new Set(ds.records.map((r) => r.patientId)).size, 161);
    assert.deepEqual([ds.meta.name, ds.meta.adapter, ds.meta.count, ds.meta.skipped], ['mini-mias', 'mias', 322, 0]);
    assert.ok(ds.records.every((r) => r.foundBreast && r.sourceBitDepth === 8 && r.view === 'MLO'));
    // mdb001: one benign circumscribed mass centred at Info.txt (535, 425) = row 1023 - 425 = 598.
    const r1 = ds.records[0]!;
    assert.deepEqual([r1.id, r1.laterality, r1.label, r1.source], ['mdb001', 'R', 'benign', r1.source]);
    const [l] = r1.lesions;
    assert.ok(l && l.x > 0 && l.x < 32 && l.y > 0 && l.y < 32, `lesion at ${JSON.stringify(l)}`);
    const back = toOriginal(r1.transform, l);
    assert.ok(Math.abs(back.x - 535) < 1e-6 && Math.abs(back.y - 598) < 1e-6 && Math.abs(back.radius! - 197) < 1e-6, JSON.stringify(back));
    const px = ds.images.toFloat32Array();
    const v = px[Math.round(l.y) * 32 + Math.round(l.x)]!;
    assert.ok(v > 0.3, `pixel at the mass centre is ${v}`);
  } finally {
    ds.images.dispose();
  }
});
