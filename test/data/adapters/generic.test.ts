import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadGeneric, loadUnlabeled } from '../../../src/data/adapters/index.js';
import { makeTree } from './tree.js';

test('generic CSV manifest: quotes, CRLF, split column, and one problem per bad row', async () => {
  const manifest = [
    'path,label,patient_id,split',
    'img/a.png,benign,p1,train',
    '"img/b, with comma.png",malignant,p1,test',
    'img/c.png,normal,p2,',
    'img/a.png,benign,p1,train', // duplicate
    'img/missing.png,benign,p3,train', // missing file
    'img/d.png,cancer,p4,train', // unknown label
    'img/e.png,,p5,train', // empty label
  ].join('\r\n');
  const root = await makeTree({
    'data/manifest.csv': manifest,
    'data/img/a.png': '',
    'data/img/b, with comma.png': '',
    'data/img/c.png': '',
    'data/img/d.png': '',
    'data/img/e.png': '',
  });
  const { records, problems } = await loadGeneric(join(root, 'data/manifest.csv'), { classes: ['normal', 'benign', 'malignant'] });
  assert.deepEqual(
    records.map((r) => [r.id, r.label, r.patientId, r.officialSplit]),
    [
      ['img/a.png', 'benign', 'p1', 'train'],
      ['img/b, with comma.png', 'malignant', 'p1', 'test'],
      ['img/c.png', 'normal', 'p2', undefined],
    ],
  );
  assert.equal(records[1]!.imagePath, join(root, 'data/img/b, with comma.png'));
  assert.deepEqual(
    problems.map((p) => [p.source.split(':').pop(), p.reason]),
    [
      ['5', 'duplicate path img/a.png'],
      ['6', 'missing file img/missing.png'],
      ['7', 'unknown label "cancer" (expected normal, benign, malignant)'],
      ['8', 'empty label'],
    ],
  );
});

test('generic manifest without the required columns is one problem', async () => {
  const root = await makeTree({ 'm.csv': 'file,class\na.png,x\n' });
  const { records, problems } = await loadGeneric(join(root, 'm.csv'));
  assert.equal(records.length, 0);
  assert.equal(problems[0]!.reason, 'header must have path, label and patient_id columns');
});

test('generic folder-per-class, with and without a patient pattern', async () => {
  const root = await makeTree({
    'benign/p01_L.png': '',
    'benign/p01_R.png': '',
    'malignant/deep/p02_L.dcm': '',
    'malignant/readme.txt': '',
    'other/x.png': '',
  });
  const plain = await loadGeneric(root, { classes: ['benign', 'malignant'] });
  assert.deepEqual(
    plain.records.map((r) => [r.id, r.label, r.patientId]),
    [
      ['benign/p01_L.png', 'benign', 'benign/p01_L'],
      ['benign/p01_R.png', 'benign', 'benign/p01_R'],
      ['malignant/deep/p02_L.dcm', 'malignant', 'malignant/p02_L'],
    ],
  );
  assert.deepEqual(plain.problems.map((p) => p.reason), ['unknown label "other" (expected benign, malignant)']);
  const grouped = await loadGeneric(root, { patientFrom: /^(p\d+)_/ });
  // other/x.png does not match the pattern: a problem, not a patient of its own.
  assert.deepEqual(grouped.records.map((r) => r.patientId), ['p01', 'p01', 'p02']);
  assert.deepEqual(grouped.problems.map((p) => p.source.slice(root.length + 1)), ['other/x.png']);
});

test('unlabeled: every image file, recursively, hidden files skipped', async () => {
  const root = await makeTree({
    'a.png': '',
    'site1/w1/b.dcm': '',
    'site1/w1/c.JPG': '',
    'site1/.hidden.png': '',
    'notes.txt': '',
  });
  const byFile = await loadUnlabeled(root);
  assert.deepEqual(
    byFile.records.map((r) => [r.id, r.patientId, r.label]),
    [
      ['a.png', 'a', 'unlabeled'],
      ['site1/w1/b.dcm', 'site1/w1/b', 'unlabeled'],
      ['site1/w1/c.JPG', 'site1/w1/c', 'unlabeled'],
    ],
  );
  const byFolder = await loadUnlabeled(root, { patientPerFolder: true });
  assert.deepEqual(byFolder.records.map((r) => r.patientId), ['.', 'site1/w1', 'site1/w1']);
});
