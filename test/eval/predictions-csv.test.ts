import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classPredictionsCsv, imageScoresCsv, parsePredictionsCsv, readPredictionsCsv } from '../../src/eval/predictions-csv.js';

const two = {
  classes: ['normal', 'abnormal'],
  predictions: [
    { id: 'a', patientId: 'p1', label: 0, probabilities: [0.75, 0.25], fold: 1 },
    { id: 'b,"2"', patientId: 'p 2', label: 1, probabilities: [0.125, 0.875], fold: 2 },
  ],
};

test('two classes: id,patient_id,label,score,fold, and read back as written (quoted ids too)', () => {
  const text = classPredictionsCsv(two);
  assert.equal(text.split('\n')[0], 'id,patient_id,label,score,fold');
  assert.deepEqual(parsePredictionsCsv(text), [
    { id: 'a', patientId: 'p1', label: 0, score: 0.25, fold: '1' },
    { id: 'b,"2"', patientId: 'p 2', label: 1, score: 0.875, fold: '2' },
  ]);
});

test('more classes: one p_<class> column each; the reader wants a score and says so', () => {
  const text = classPredictionsCsv({ classes: ['normal', 'benign', 'malignant'], predictions: [{ id: 'a', patientId: 'p', label: 2, probabilities: [0.5, 0.25, 0.25], fold: 3 }] });
  assert.equal(text, 'id,patient_id,label,p_normal,p_benign,p_malignant,fold\na,p,2,0.5,0.25,0.25,3\n');
  assert.throws(() => parsePredictionsCsv(text), /^Error: no score column/);
});

test('detection: fold, then one score column per aggregation, empty where it gave none', () => {
  const text = imageScoresCsv(['max', 'top-k mean', 'attention MIL'], [
    { id: 'a', patientId: 'p', label: 1, fold: 2, scores: { max: 0.5, 'top-k mean': 0.25 } },
  ]);
  assert.equal(text, 'id,patient_id,label,fold,score_max,score_top_k_mean,score_attention_MIL\na,p,1,2,0.5,0.25,\n');
});

test('the reader: a byte-order mark, no fold, and the errors that name the row', () => {
  assert.deepEqual(parsePredictionsCsv('\uFEFFlabel,score\n1,0.5\n'), [{ id: '', patientId: '', label: 1, score: 0.5 }]);
  assert.deepEqual(parsePredictionsCsv(''), []);
  assert.throws(() => parsePredictionsCsv('id,score\na,0.5\n'), /no label column/);
  assert.throws(() => parsePredictionsCsv('label,score\n1,0.5\n2,0.5\n'), /row 3: label "2" is not 0 or 1/);
  assert.throws(() => parsePredictionsCsv('label,score\n1,\n'), /row 2: score "" is not a number/);
  assert.throws(() => parsePredictionsCsv('label,score\n1,x\n'), /row 2: score "x" is not a number/);
});

test('reading a file puts its path in front of a format error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mammoclr-predictions-'));
  try {
    const path = join(dir, 'predictions.csv');
    writeFileSync(path, 'label,score\n3,0.5\n');
    assert.throws(() => readPredictionsCsv(path), (e: Error) => e.message === `${path}: row 2: label "3" is not 0 or 1`);
    writeFileSync(path, classPredictionsCsv(two));
    assert.equal(readPredictionsCsv(path).length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
