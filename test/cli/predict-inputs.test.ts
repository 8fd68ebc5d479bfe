import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { predictInputs } from '../../src/cli/predict-inputs.js';
import { writeDicom } from '../data/readers/dicom-writer.js';

test('predict inputs: a folder stands for its images found by content, with heatmap stems from their paths', async () => {
  const root = await mkdtemp(join(tmpdir(), 'mammoclr-predict-inputs-'));
  const dcm = (noPreamble: boolean) => writeDicom({ syntax: 'implicit-le', noPreamble, rows: 1, columns: 2, bitsAllocated: 8, pixels: [0, 255] });
  await mkdir(join(root, 'export', 'PAT1', 'STU1'), { recursive: true });
  await mkdir(join(root, 'export', 'PAT2', 'STU1'), { recursive: true });
  await mkdir(join(root, 'empty'));
  await writeFile(join(root, 'export', 'DICOMDIR'), writeDicom({ syntax: 'explicit-le', rows: 1, columns: 1, bitsAllocated: 8, sopClassUid: '1.2.840.10008.1.3.10', omitPixelData: true }));
  await writeFile(join(root, 'export', 'README.TXT'), 'burned by the PACS\n');
  // PACS trees reuse file names across studies: the stems must differ.
  await writeFile(join(root, 'export', 'PAT1', 'STU1', 'IM0001'), dcm(false));
  await writeFile(join(root, 'export', 'PAT2', 'STU1', 'IM0001'), dcm(true));
  await writeFile(join(root, 'case.dcm'), dcm(false));
  const inputs = await predictInputs([join(root, 'export'), join(root, 'case.dcm'), join(root, 'missing.png'), join(root, 'empty')]);
  assert.deepEqual(inputs.map((i) => [i.file.slice(root.length + 1), i.stem, i.error]), [
    ['export/PAT1/STU1/IM0001', 'PAT1_STU1_IM0001', undefined],
    ['export/PAT2/STU1/IM0001', 'PAT2_STU1_IM0001', undefined],
    ['case.dcm', 'case', undefined],
    ['missing.png', 'missing', undefined],
    ['empty', 'empty', 'no image found in this folder (PNG, JPEG, TIFF, PGM or DICOM, by content)'],
  ]);
});
