import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadMias } from '../../../src/data/adapters/index.js';
import { makeTree } from './tree.js';

const INFO = [
  'MAMMOGRAPHIC IMAGE ANALYSIS SOCIETY',
  '1st column: MIAS database reference number.',
  '=====',
  'mdb001 G CIRC B 535 425 197',
  'mdb002 G NORM ',
  'mdb003 F CALC M *NOTE 3*',
  'mdb004 F CIRC B',
  'mdb004 F SPIC M 10 1023 5',
  'mdb005 G XXXX B 1 2 3', // unknown class
  'mdb006 G CIRC Q 1 2 3', // unknown severity
  'mdb007 G CIRC B 12 abc 3', // malformed coordinates
  'mdb008 G CIRC B 12 1500 3', // y outside the image
  'mdb009 D NORM ', // no image file
  'mdb010 D NORM',
  '=====',
].join('\r\n');

test('fake Info.txt: merged rows, pgm or png, CRLF, and one problem per bad row', async () => {
  const root = await makeTree({
    'Info.txt': INFO,
    'mdb001.pgm': '',
    'mdb002.png': '',
    'mdb003.PNG': '',
    'mdb004.pgm': '',
    'mdb004.png': '',
    'mdb005.pgm': '',
    'mdb006.pgm': '',
    'mdb007.pgm': '',
    'mdb008.pgm': '',
    'mdb010.pgm': '',
  });
  const { records, problems } = await loadMias(root);
  assert.deepEqual(
    records.map((r) => [r.id, r.label, r.patientId, r.laterality]),
    [
      ['mdb001', 'benign', 'mias-001', 'R'],
      ['mdb002', 'normal', 'mias-001', 'L'],
      ['mdb003', 'malignant', 'mias-002', 'R'],
      ['mdb004', 'malignant', 'mias-002', 'L'],
      ['mdb010', 'normal', 'mias-005', 'L'],
    ],
  );
  assert.equal(records[0]!.imagePath, join(root, 'mdb001.pgm'));
  assert.equal(records[2]!.imagePath, join(root, 'mdb003.PNG'));
  assert.equal(records[3]!.imagePath, join(root, 'mdb004.pgm'), 'the original .pgm wins over a .png copy');
  assert.deepEqual(records[3]!.lesions, [{ x: 10, y: 0, radius: 5, kind: 'SPIC', severity: 'malignant' }]);
  assert.equal(records[3]!.unlocatedLesions, 1);
  assert.ok(records.every((r) => r.pixelSpacingMm === 0.2), 'mini-MIAS pixels are 200 microns');
  assert.equal(records[2]!.unlocatedLesions, 1);
  assert.deepEqual(
    problems.map((p) => [p.source.split(':').pop(), p.reason]),
    [
      ['9', 'mdb005: unknown class "XXXX"'],
      ['10', 'mdb006: unknown severity "Q" for CIRC'],
      ['11', 'mdb007: coordinates out of range "12 abc 3"'],
      ['12', 'mdb008: coordinates out of range "12 1500 3"'],
      ['13', `no image file mdb009.pgm or mdb009.png in ${root}`],
    ],
  );
});

test('missing Info.txt rejects (the dataset itself is unusable)', async () => {
  const root = await makeTree({ 'mdb001.pgm': '' });
  await assert.rejects(loadMias(root), /ENOENT/);
});
