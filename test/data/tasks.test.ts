import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatasetRecord } from '../../src/data/records.js';
import { applyTask, benignVsMalignant, biradsTask, labelTask, normalVsAbnormal, taskByName, threeClass } from '../../src/data/tasks.js';

const rec = (id: string, label: string, birads?: string): DatasetRecord => ({
  id,
  patientId: id,
  imagePath: id,
  dataset: 't',
  label,
  lesions: [],
  ...(birads === undefined ? {} : { birads }),
});

const records = [rec('n', 'normal', '1'), rec('b', 'benign', '2'), rec('b3', 'benign', '3'), rec('m', 'malignant', '4b'), rec('m5', 'malignant', '5'), rec('u', 'unlabeled')];

test('normal-vs-abnormal, benign-vs-malignant and three-class label maps', () => {
  assert.deepEqual(records.map((r) => normalVsAbnormal.labelOf(r)), [0, 1, 1, 1, 1, undefined]);
  assert.deepEqual(records.map((r) => benignVsMalignant.labelOf(r)), [undefined, 0, 0, 1, 1, undefined]);
  assert.deepEqual(records.map((r) => threeClass.labelOf(r)), [0, 1, 1, 2, 2, undefined]);
  assert.deepEqual(threeClass.classes, ['normal', 'benign', 'malignant']);
  assert.deepEqual(
    applyTask(records, benignVsMalignant).map((x) => [x.item.id, x.label]),
    [
      ['b', 0],
      ['b3', 0],
      ['m', 1],
      ['m5', 1],
    ],
  );
  assert.equal(taskByName('three-class'), threeClass);
  assert.throws(() => taskByName('nope'), /unknown task/);
});

test('BI-RADS mapping: default {1,2} vs {4,5,6} drops 3, subcategories match their category', () => {
  const t = biradsTask();
  assert.deepEqual(t.classes, ['negative', 'positive']);
  assert.deepEqual(records.map((r) => t.labelOf(r)), [0, 0, undefined, 1, 1, undefined]);
  const custom = biradsTask([
    ['low', ['1', '2', '3', '4a']],
    ['high', ['4b', '4c', '5']],
  ]);
  assert.deepEqual(records.map((r) => custom.labelOf(r)), [0, 0, 0, 1, 1, undefined]);
  assert.equal(custom.labelOf(rec('x', 'malignant', '4a')), 0);
  assert.throws(() => biradsTask([['a', ['1']], ['b', ['1']]]), /mapped to both/);
  assert.throws(() => biradsTask([['a', ['9']]]), /bad BI-RADS/);
});

test('labelTask keeps the given class order', () => {
  const t = labelTask(['cyst', 'tumour']);
  assert.equal(t.labelOf(rec('a', 'tumour')), 1);
  assert.equal(t.labelOf(rec('a', 'other')), undefined);
});
