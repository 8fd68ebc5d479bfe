import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import sharp from 'sharp';
import type { GrayImage } from '../../../src/data/image.js';
import { loadMias } from '../../../src/data/adapters/index.js';
import { insideOutput, preprocessMammogram, toOutput } from '../../../src/data/preprocess/index.js';

// dist/test/data/adapters -> repo root -> ../shared (the checkout's sibling).
const here = dirname(fileURLToPath(import.meta.url));
const MIAS = resolve(here, '../../../../../shared/data/mini-mias');
const absent = existsSync(resolve(MIAS, 'Info.txt')) ? false : `mini-MIAS not found at ${MIAS}`;

test('mini-MIAS: 322 images, 207/63/52, 161 patients, hand-checked lesions', { skip: absent }, async () => {
  const { records, problems } = await loadMias(MIAS);
  assert.deepEqual(problems, []);
  assert.equal(records.length, 322);
  const count = (l: string): number => records.filter((r) => r.label === l).length;
  assert.deepEqual([count('normal'), count('benign'), count('malignant')], [207, 63, 52]);
  const patients = new Map<string, string[]>();
  for (const r of records) patients.set(r.patientId, [...(patients.get(r.patientId) ?? []), r.id]);
  assert.equal(patients.size, 161);
  assert.deepEqual(patients.get(records.find((r) => r.id === 'mdb001')!.patientId), ['mdb001', 'mdb002']);
  assert.deepEqual(patients.get(records.find((r) => r.id === 'mdb322')!.patientId), ['mdb321', 'mdb322']);
  const byId = new Map(records.map((r) => [r.id, r]));
  // mdb001 G CIRC B 535 425 197: row = 1023 - 425 = 598; odd number = right breast.
  assert.deepEqual(byId.get('mdb001')!.lesions, [{ x: 535, y: 598, radius: 197, kind: 'CIRC', severity: 'benign' }]);
  assert.equal(byId.get('mdb001')!.laterality, 'R');
  assert.equal(byId.get('mdb002')!.laterality, 'L');
  assert.equal(byId.get('mdb001')!.density, 'G');
  // mdb005: two rows merged (477 133 30; 500 168 26).
  assert.deepEqual(
    byId.get('mdb005')!.lesions.map((l) => [l.x, l.y, l.radius]),
    [
      [477, 890, 30],
      [500, 855, 26],
    ],
  );
  // mdb144: a B and an M row -> malignant.
  assert.equal(byId.get('mdb144')!.label, 'malignant');
  assert.deepEqual(byId.get('mdb144')!.lesions.map((l) => l.severity), ['benign', 'malignant']);
  assert.equal(byId.get('mdb226')!.lesions.length, 3);
  // Rows without coordinates keep the label but add no lesion.
  for (const id of ['mdb059', 'mdb216', 'mdb233', 'mdb245']) {
    assert.equal(byId.get(id)!.lesions.length, 0, id);
    assert.equal(byId.get(id)!.unlocatedLesions, 1, id);
  }
  assert.equal(byId.get('mdb059')!.label, 'benign');
  assert.equal(byId.get('mdb216')!.label, 'malignant');
  assert.equal(records.reduce((s, r) => s + r.lesions.length, 0), 119);
});

async function readPng(path: string): Promise<GrayImage> {
  const { data, info } = await sharp(path).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, bitDepth: 8, data: new Uint8Array(data.buffer, data.byteOffset, data.length), meta: { source: path, format: 'png' } };
}

/** Mean of the 3 x 3 output pixels around a point, and the mean of the breast (non-zero) pixels. */
function localVsBreast(data: Float32Array, size: number, x: number, y: number): [number, number] {
  let s = 0;
  let n = 0;
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const px = Math.round(x) + dx;
      const py = Math.round(y) + dy;
      if (px < 0 || py < 0 || px >= size || py >= size) continue;
      s += data[py * size + px]!;
      n++;
    }
  }
  let b = 0;
  let m = 0;
  for (const v of data) if (v > 0) (b += v), m++;
  return [s / n, b / m];
}

test('mini-MIAS: after preprocessing to 32x32 lesion centres map inside the output, onto bright tissue', { skip: absent }, async () => {
  const { records } = await loadMias(MIAS);
  let lesions = 0;
  let brighter = 0;
  let chestLeft = 0;
  let images = 0;
  const outsideBreast: string[] = [];
  for (const r of records.filter((x) => x.lesions.length > 0)) {
    const p = preprocessMammogram(await readPng(r.imagePath), { laterality: r.laterality });
    // Chest wall on the left: the left output column holds more breast than the right one.
    let leftCol = 0;
    let rightCol = 0;
    for (let y = 0; y < 32; y++) (leftCol += p.data[y * 32]!), (rightCol += p.data[y * 32 + 31]!);
    if (leftCol > rightCol) chestLeft++;
    images++;
    for (const l of r.lesions) {
      lesions++;
      if (!p.mask[l.y * 1024 + l.x]) {
        outsideBreast.push(r.id);
        continue;
      }
      const o = toOutput(p.transform, l);
      assert.ok(insideOutput(p.transform, o), `${r.id}: (${l.x}, ${l.y}) -> (${o.x}, ${o.y})`);
      const [local, breast] = localVsBreast(p.data, 32, o.x, o.y);
      if (local > breast) brighter++;
    }
  }
  assert.equal(lesions, 119);
  // 111 images carry the 119 located lesions; every one ends with its chest wall on the left.
  assert.equal(images, 111);
  assert.equal(chestLeft, 111);
  // Two benign calcification rows whose centres lie below the breast in either y convention
  // (annotation errors in the source).
  assert.deepEqual(outsideBreast, ['mdb212', 'mdb214']);
  // Measured 112 of 119; lesions are mostly denser than the surrounding breast.
  assert.ok(brighter >= 105, `${brighter} of ${lesions} lesion centres brighter than the breast mean`);

  // Hand checks: the big circumscribed masses of mdb001/mdb002 and mdb023's malignant mass.
  for (const id of ['mdb001', 'mdb002', 'mdb023']) {
    const r = records.find((x) => x.id === id)!;
    const p = preprocessMammogram(await readPng(r.imagePath), { laterality: r.laterality });
    const o = toOutput(p.transform, r.lesions[0]!);
    const [local, breast] = localVsBreast(p.data, 32, o.x, o.y);
    assert.ok(local > breast * 1.1, `${id}: ${local} vs breast ${breast}`);
    assert.equal(p.transform.flipped, r.laterality === 'R');
  }
});
