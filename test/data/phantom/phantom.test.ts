import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generatePhantomDataset, phantomLabelCounts, planPhantomDataset, renderPhantom, type PhantomLesionKind } from '../../../src/data/phantom/index.js';
import { preprocessMammogram, toOutput } from '../../../src/data/preprocess/index.js';

test('deterministic for a seed, different across seeds and indices', () => {
  const spec = { seed: 'demo', index: 3, label: 'malignant', laterality: 'R' } as const;
  const a = renderPhantom(spec);
  const b = renderPhantom(spec);
  assert.deepEqual(a.image.data, b.image.data);
  assert.deepEqual(a.mask, b.mask);
  assert.deepEqual(a.lesions, b.lesions);
  assert.notDeepEqual(renderPhantom({ ...spec, seed: 'other' }).image.data, a.image.data);
  assert.notDeepEqual(renderPhantom({ ...spec, index: 4 }).image.data, a.image.data);
  assert.equal(a.image.bitDepth, 16);
  assert.equal(a.image.meta.format, 'phantom');
  assert.equal(a.image.meta.laterality, 'R');
  const d1 = generatePhantomDataset({ patients: 5, seed: 9, size: 64 });
  const d2 = generatePhantomDataset({ patients: 5, seed: 9, size: 64 });
  assert.deepEqual(d1.map((x) => x.record), d2.map((x) => x.record));
});

test('label counts are exactly as configured; two images (L, R) per patient', () => {
  assert.deepEqual(phantomLabelCounts(400, { normal: 2, benign: 1, malignant: 1 }), { normal: 200, benign: 100, malignant: 100 });
  assert.deepEqual(phantomLabelCounts(10, { normal: 1, benign: 1, malignant: 1 }), { normal: 4, benign: 3, malignant: 3 });
  assert.deepEqual(phantomLabelCounts(7, { normal: 0, benign: 1, malignant: 1 }), { normal: 0, benign: 4, malignant: 3 });
  const plan = planPhantomDataset({ patients: 50, seed: 1, weights: { normal: 3, benign: 1, malignant: 1 } });
  const count = (l: string): number => plan.filter((p) => p.label === l).length;
  assert.deepEqual([count('normal'), count('benign'), count('malignant')], [60, 20, 20]);
  const byPatient = new Map<string, string[]>();
  for (const p of plan) byPatient.set(p.record.patientId, [...(byPatient.get(p.record.patientId) ?? []), p.laterality]);
  assert.equal(byPatient.size, 50);
  for (const lats of byPatient.values()) assert.deepEqual(lats, ['L', 'R']);
});

test('label rule, masks inside the breast, markers outside it', () => {
  const data = generatePhantomDataset({ patients: 60, seed: 'rule', size: 128 });
  const kinds = new Map<string, Set<string>>();
  let markers = 0;
  for (const ph of data) {
    const S = ph.image.width;
    let maskArea = 0;
    for (let i = 0; i < ph.mask.length; i++) {
      if (ph.mask[i]) {
        maskArea++;
        assert.equal(ph.breast[i], 1, `${ph.record.id}: mask outside the breast`);
      }
    }
    if (ph.label === 'normal') {
      assert.equal(maskArea, 0);
      assert.deepEqual(ph.lesions, []);
    } else {
      assert.equal(ph.lesions.length, 1);
      const l = ph.lesions[0]!;
      assert.ok(maskArea > 10, `${ph.record.id}: mask area ${maskArea}`);
      assert.equal(ph.breast[Math.round(l.y) * S + Math.round(l.x)], 1);
      assert.equal(ph.mask[Math.round(l.y) * S + Math.round(l.x)], 1);
      assert.equal(l.severity, ph.label);
      const set = kinds.get(ph.label) ?? new Set<string>();
      set.add(l.kind!);
      kinds.set(ph.label, set);
    }
    // The chest wall is on the image's left for L and right for R.
    const midRow = Math.floor(S / 2) * S;
    assert.equal(ph.breast[midRow + (ph.laterality === 'L' ? 0 : S - 1)], 1);
    assert.equal(ph.breast[midRow + (ph.laterality === 'L' ? S - 1 : 0)], 0);
    if (ph.hasMarker) {
      markers++;
      const p = preprocessMammogram(ph.image, { size: 32 });
      // The marker is bright but not part of the breast: preprocessing crops to the breast alone.
      let bx0 = S, bx1 = -1;
      for (let i = 0; i < ph.breast.length; i++) if (ph.breast[i]) (bx0 = Math.min(bx0, i % S)), (bx1 = Math.max(bx1, i % S));
      assert.deepEqual([p.transform.crop.x, p.transform.crop.x + p.transform.crop.width - 1], [bx0, bx1]);
    }
    assert.equal(ph.record.label, ph.label);
    assert.deepEqual(ph.record.lesions, ph.lesions);
  }
  assert.deepEqual([...kinds.get('benign')!], ['round']);
  assert.deepEqual([...kinds.get('malignant')!].sort(), ['calcifications', 'spiculated']);
  assert.ok(markers > 20 && markers < 100, `${markers} markers of 120`);
});

test('at 32x32 after preprocessing a lesion covers a few pixels at its mapped centre, below the texture contrast', () => {
  const kinds: [PhantomLesionKind, 'benign' | 'malignant'][] = [
    ['round', 'benign'],
    ['spiculated', 'malignant'],
    ['calcifications', 'malignant'],
  ];
  for (const [kind, label] of kinds) {
    for (let index = 0; index < 10; index++) {
      const laterality = index % 2 === 0 ? 'L' : 'R';
      const withLesion = renderPhantom({ seed: 5, index, label, kind, laterality, marker: false });
      // The lesion has its own random stream: the same (seed, index) as normal is the same breast without it.
      const without = renderPhantom({ seed: 5, index, label: 'normal', laterality, marker: false });
      const a = preprocessMammogram(withLesion.image, { normalize: 'bit-depth' });
      const b = preprocessMammogram(without.image, { normalize: 'bit-depth' });
      assert.deepEqual(a.transform, b.transform);
      let peak = 0;
      let at = 0;
      let pixels = 0;
      for (let i = 0; i < 1024; i++) {
        const d = a.data[i]! - b.data[i]!;
        if (d > peak) (peak = d), (at = i);
        if (d > 0.02) pixels++;
      }
      const tag = `${kind} #${index}`;
      assert.ok(peak > 0.05, `${tag}: peak ${peak}`);
      assert.ok(pixels >= 3 && pixels <= 40, `${tag}: ${pixels} pixels`);
      const c = toOutput(a.transform, withLesion.lesions[0]!);
      const dist = Math.hypot((at % 32) - c.x, Math.floor(at / 32) - c.y);
      assert.ok(dist <= c.radius! + 1.5, `${tag}: peak ${dist} px from the centre, radius ${c.radius}`);
      // Not trivial: the lesion's contrast is below the spread of normal tissue (5th-95th percentile).
      const tissue = [...b.data].filter((v) => v > 0).sort((x, y) => x - y);
      const spread = tissue[Math.floor(tissue.length * 0.95)]! - tissue[Math.floor(tissue.length * 0.05)]!;
      assert.ok(peak < spread, `${tag}: peak ${peak} vs tissue spread ${spread}`);
    }
  }
});

test('fast: a 256x256 phantom in a few ms, 400 in well under 10 s', () => {
  renderPhantom({ seed: 0, index: 0, label: 'malignant', laterality: 'L' }); // warm-up
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const t = performance.now();
    renderPhantom({ seed: 0, index: i, label: i % 3 === 0 ? 'normal' : i % 3 === 1 ? 'benign' : 'malignant', laterality: 'R' });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  assert.ok(times[10]! < 15, `median ${times[10]} ms`);
  const t = performance.now();
  const all = generatePhantomDataset({ patients: 200, seed: 'speed' });
  const ms = performance.now() - t;
  assert.equal(all.length, 400);
  assert.ok(ms < 6000, `400 phantoms took ${ms} ms`);
});
