import test from 'node:test';
import assert from 'node:assert/strict';
import { subgroupAucs } from '../../src/eval/subgroups.js';
import { delongAuc } from '../../src/eval/delong.js';

// Four normals scored 0.1, 0.2, 0.3, 0.4; masses 0.9, 0.8 (above every normal: AUC 1);
// distortions 0.15, 0.35 (above 1 and 3 of the 4 normals: (1 + 3) / 8 = 0.5).
const labels = [0, 0, 0, 0, 1, 1, 1, 1];
const scores = [0.1, 0.2, 0.3, 0.4, 0.9, 0.8, 0.15, 0.35];
const kind = ['', '', '', '', 'mass', 'mass', 'distortion', 'distortion'];

test('subgroups: each kind of positive against every negative, hand-worked AUCs, DeLong intervals', () => {
  const r = subgroupAucs(labels, scores, (i) => kind[i]!);
  assert.deepEqual(r.map((g) => [g.group, g.positives, g.negatives]), [['distortion', 2, 4], ['mass', 2, 4]]);
  assert.equal(r[0]!.auc!.value, 0.5);
  assert.equal(r[1]!.auc!.value, 1);
  const ref = delongAuc([0, 0, 0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4, 0.15, 0.35]);
  assert.deepEqual(r[0]!.auc, { value: ref.auc, lo: ref.lo, hi: ref.hi });
  assert.ok(r[0]!.auc!.lo < 0.5 && r[0]!.auc!.hi > 0.5);
});

test('subgroups: negatives restricted to their own subgroup (density), and too few for an interval', () => {
  const density = ['F', 'F', 'D', 'D', 'F', 'D', 'D', 'D'];
  const r = subgroupAucs(labels, scores, (i) => density[i]!, (i) => density[i]!);
  // D: normals 0.3, 0.4 against 0.8, 0.15, 0.35: (2 + 0 + 1) / 6 = 0.5
  assert.deepEqual(r.map((g) => [g.group, g.positives, g.negatives, g.auc?.value ?? null]), [['D', 3, 2, 0.5], ['F', 1, 2, null]]);
  assert.throws(() => subgroupAucs([0, 1], [0.5], () => 'x'), /2 labels but 1 scores/);
});
