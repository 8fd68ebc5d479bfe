import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { generatePhantomDataset } from '../../../src/data/phantom/index.js';
import { preprocessMammogram, toOutput } from '../../../src/data/preprocess/index.js';
import { collectSource, loadPreparedDataset, prepareDataset, PREPARE_PREPROCESS, type PrepareReport } from '../../../src/data/cache/index.js';
import { tempDir, tempFiles } from './helpers.js';

test('a prepared phantom set round-trips: pixels to float16 precision, records and lesions', async () => {
  const out = await tempDir('roundtrip');
  const patients = 3;
  const seed = 11;
  const sizes = [64, 32];
  const progress: number[] = [];
  const source = await collectSource('phantom', String(patients), { seed, sizes });
  const res = await prepareDataset({ source, out, sizes, workers: 2, onProgress: (d) => progress.push(d) });
  assert.deepEqual(res.files.map((f) => [f.size, f.count]), [[32, 6], [64, 6]]);
  assert.deepEqual(progress, [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(await tempFiles(out), []);

  const reference = generatePhantomDataset({ patients, seed, size: 256 });
  for (const size of [32, 64]) {
    const ds = await loadPreparedDataset(`${out}/phantom-${size}.safetensors`);
    try {
      assert.deepEqual(ds.images.shape, [6, 1, size, size]);
      assert.equal(ds.images.dtype, 'float16');
      assert.equal(ds.meta.size, size);
      assert.deepEqual(ds.meta.sizes, [32, 64]);
      assert.deepEqual(ds.meta.phantom, { seed, patients, renderSize: 256 });
      assert.deepEqual(ds.meta.labels, reference.reduce<Record<string, number>>((m, r) => ({ ...m, [r.label]: (m[r.label] ?? 0) + 1 }), {}));
      assert.equal(ds.meta.patients, 3);
      const pixels = ds.images.toFloat32Array();
      reference.forEach((item, i) => {
        const ref = preprocessMammogram(item.image, { ...PREPARE_PREPROCESS, size, laterality: item.laterality });
        const got = pixels.subarray(i * size * size, (i + 1) * size * size);
        let worst = 0;
        for (let p = 0; p < got.length; p++) worst = Math.max(worst, Math.abs(got[p]! - ref.data[p]!));
        assert.ok(worst <= 2 ** -12, `image ${i} at ${size}: max error ${worst}`);
        const rec = ds.records[i]!;
        assert.deepEqual(
          [rec.id, rec.patientId, rec.label, rec.laterality, rec.view, rec.density, rec.dataset, rec.source, rec.foundBreast, rec.sourceBitDepth],
          [item.record.id, item.record.patientId, item.record.label, item.record.laterality, item.record.view, item.record.density, 'phantom', item.record.imagePath, true, 16],
        );
        assert.deepEqual(rec.transform, ref.transform);
        assert.equal(rec.lesions.length, item.lesions.length);
        rec.lesions.forEach((l, j) => {
          const orig = item.lesions[j]!;
          const o = toOutput(ref.transform, orig);
          assert.deepEqual(l, { ...orig, x: o.x, y: o.y, ...(o.radius !== undefined ? { radius: o.radius } : {}) });
        });
      });
    } finally {
      ds.images.dispose();
    }
  }
  const report = JSON.parse(await readFile(res.reportPath, 'utf8')) as PrepareReport;
  assert.equal(report.status, 'ok');
  assert.deepEqual(report.counts, { listed: 6, prepared: 6, skipped: 0, adapterProblems: 0, warnings: 0 });
});

test('in-thread run (workers 0) writes the same bytes as the worker pool', async () => {
  const a = await tempDir('pool');
  const b = await tempDir('inline');
  const source = await collectSource('phantom', '2', { seed: 'x', sizes: [32] });
  await prepareDataset({ source, out: a, sizes: [32], workers: 2 });
  await prepareDataset({ source, out: b, sizes: [32], workers: 0 });
  const x = await loadPreparedDataset(`${a}/phantom-32.safetensors`);
  const y = await loadPreparedDataset(`${b}/phantom-32.safetensors`);
  try {
    assert.deepEqual(x.images.data(), y.images.data());
    assert.deepEqual(x.records, y.records);
  } finally {
    x.images.dispose();
    y.images.dispose();
  }
});
