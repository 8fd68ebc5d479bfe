import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/tensor/index.js';
import { knnMonitorSplit } from '../../src/cli/knn-monitor.js';

test('the kNN monitor holds a quarter of the patients out of its bank, images and labels alike', () => {
  const items = Array.from({ length: 40 }, (_, i) => ({ index: i, id: `img${i}`, patientId: `p${Math.floor(i / 2)}`, label: i % 2 }));
  const images = tensor(Array.from({ length: 40 }, (_, i) => i), [40, 1, 1, 1]);
  const k = knnMonitorSplit(images, items, 2, 1);
  const bank = k.trainImages.toArray();
  const held = k.valImages.toArray();
  assert.equal(bank.length + held.length, 40);
  assert.equal(held.length, 10);
  const patients = (xs: number[]) => new Set(xs.map((i) => items[i]!.patientId));
  assert.equal([...patients(held)].filter((p) => patients(bank).has(p)).length, 0);
  assert.deepEqual(k.trainLabels.toArray(), bank.map((i) => items[i]!.label));
  assert.deepEqual(k.valLabels.toArray(), held.map((i) => items[i]!.label));
  assert.equal(k.classes, 2);
  for (const t of [images, k.trainImages, k.trainLabels, k.valImages, k.valLabels]) t.dispose();
});
