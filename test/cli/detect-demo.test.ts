// The real-data demo's last line (the demo itself needs mini-MIAS and 17-27 min): the SimCLR
// headline with its interval, each baseline's same score beside it and the majority class; and
// the refusals of its --pectoral flag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectDemoHeadline } from '../../src/cli/detect-demo.js';
import { cli } from './run-cli.js';
import type { StudyResult } from '../../src/train/detection-study.js';

const row = (method: string, fraction: number, aggregation: string, auc: [number, number, number]) => ({
  method, fraction, aggregation, aucOverWomen: { lo: auc[1] - 0.0171, hi: auc[2] + 0.0104 },
  evaluation: { auc: { value: auc[0], lo: auc[1], hi: auc[2] }, baseline: { accuracy: { value: 207 / 322 } } },
});

test('the demo headline names the SimCLR bilateral AUC at all labels, the baselines beside it and the majority class', () => {
  const result = { rows: [
    row('SimCLR encoder, L2 logistic probe', 0.25, 'bilateral', [0.587, 0.522, 0.652]),
    row('SimCLR encoder, L2 logistic probe', 1, 'max', [0.553, 0.488, 0.618]),
    row('SimCLR encoder, L2 logistic probe', 1, 'bilateral', [0.617, 0.554, 0.680]),
    row('untrained encoder, L2 logistic probe', 1, 'bilateral', [0.624, 0.561, 0.688]),
    row('classic CAD features, L2 logistic probe', 1, 'bilateral', [0.648, 0.585, 0.711]),
    row('supervised from scratch on the patches', 1, 'bilateral', [0.575, 0.510, 0.639]),
  ] } as unknown as StudyResult;
  assert.equal(detectDemoHeadline(result, 16.52, 2.27),
    'done in 16.5 min; AUC 61.7 % [55.4, 68.0] (SimCLR, bilateral top-3 window scores, all labels; [53.7, 69.0] resampling women); beside it untrained encoder 62.4 [56.1, 68.8], '
    + 'classic CAD features 64.8 [58.5, 71.1], from scratch 57.5 [51.0, 63.9]; majority class 64.3 % accurate; peak memory 2.3 GB');
  // Without baselines (detect --no-baselines has none) the line keeps the headline and the majority class.
  const alone = { rows: result.rows.slice(0, 3) } as StudyResult;
  assert.equal(detectDemoHeadline(alone, 1, 1), 'done in 1.0 min; AUC 61.7 % [55.4, 68.0] (SimCLR, bilateral top-3 window scores, all labels; [53.7, 69.0] resampling women); majority class 64.3 % accurate; peak memory 1.0 GB');
  assert.throws(() => detectDemoHeadline({ rows: result.rows.slice(0, 2) } as StudyResult, 1, 1), /no SimCLR bilateral row at 100 % of the labels/);
});

test('demo --pectoral belongs to the detection demo on --data: refused for phantoms and bad values, before any work', () => {
  const phantoms = cli('demo', '--out', join(tmpdir(), 'mammoclr-demo-pectoral-refused'), '--pectoral', 'suppress');
  assert.equal(phantoms.status, 1);
  assert.match(phantoms.err, /--pectoral applies to the detection demo on --data/);
  const bad = cli('demo', '--data', 'nowhere', '--pectoral', 'cut');
  assert.equal(bad.status, 1);
  assert.match(bad.err, /--pectoral must be keep or suppress, got "cut"/);
});
