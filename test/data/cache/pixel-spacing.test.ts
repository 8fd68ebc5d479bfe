/** Pixel spacing from a DICOM header reaches the prepared record as the output pixel's size. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { writeDicom } from '../readers/dicom-writer.js';
import { collectSource, loadPreparedDataset, prepareDataset } from '../../../src/data/cache/index.js';
import { tempDir } from './helpers.js';

/** 96x64 12-bit pixels: a bright half-disc against the left edge on a black background. */
function halfDisc(width: number, height: number, max: number): number[] {
  const px = new Array<number>(width * height).fill(0);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (x * x + (y - height / 2) ** 2 < (0.4 * height) ** 2) px[y * width + x] = Math.round(max * (0.4 + ((x * 7 + y * 3) % 50) / 100));
  return px;
}

test('DICOM PixelSpacing becomes mmPerPixel = spacing / scale; a PNG has none; no identifier is stored', async () => {
  const root = await tempDir('spacing');
  try {
    const patient = { name: 'DOE^JANE', id: 'PID-99817', birthDate: '19610203', accession: 'ACC55123', studyUid: '1.2.826.0.1.3680043.99.77', institution: 'ST ELSEWHERE HOSP' };
    const dicom = { syntax: 'explicit-le' as const, rows: 64, columns: 96, bitsAllocated: 16 as const, bitsStored: 12, pixels: halfDisc(96, 64, 4095), patient };
    await writeFile(join(root, 'spaced.dcm'), writeDicom({ ...dicom, pixelSpacing: [0.1, 0.1] }));
    await writeFile(join(root, 'imager.dcm'), writeDicom({ ...dicom, imagerPixelSpacing: [0.085, 0.085] }));
    await writeFile(join(root, 'plain.dcm'), writeDicom(dicom));
    const png = await sharp(Buffer.from(halfDisc(64, 64, 255)), { raw: { width: 64, height: 64, channels: 1 } }).png().toBuffer();
    await writeFile(join(root, 'plain.png'), png);
    const csv = join(root, 'manifest.csv');
    await writeFile(csv, 'path,label,patient_id\nspaced.dcm,normal,p1\nimager.dcm,normal,p2\nplain.dcm,normal,p3\nplain.png,normal,p4\n');
    const out = join(root, 'out');
    await prepareDataset({ source: await collectSource('csv', csv), out, sizes: [32], name: 'spacing', workers: 1 });
    const ds = await loadPreparedDataset(join(out, 'spacing-32.safetensors'));
    try {
      const [spaced, imager, plain, pngRec] = ds.records;
      assert.deepEqual(ds.records.map((r) => r.id), ['spaced.dcm', 'imager.dcm', 'plain.dcm', 'plain.png']);
      assert.ok(spaced!.transform.scale > 0 && spaced!.transform.scale < 1, JSON.stringify(spaced!.transform));
      assert.equal(spaced!.mmPerPixel, 0.1 / spaced!.transform.scale);
      assert.equal(imager!.mmPerPixel, 0.085 / imager!.transform.scale);
      assert.equal(plain!.mmPerPixel, undefined);
      assert.equal(pngRec!.mmPerPixel, undefined);
      const text = JSON.stringify(ds.records) + JSON.stringify(ds.meta);
      for (const v of Object.values(patient)) assert.ok(!text.includes(v), `prepared metadata leaks ${v}`);
    } finally {
      ds.images.dispose();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
