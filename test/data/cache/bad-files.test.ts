import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { writeDicom } from '../readers/dicom-writer.js';
import { collectSource, loadPreparedDataset, prepareDataset, summarizeReport, type PrepareReport, type PrepareSource } from '../../../src/data/cache/index.js';
import { tempDir } from './helpers.js';

/** A 64x64 8-bit "mammogram": a bright half-disc against the left edge on a black background. */
async function goodPng(): Promise<Buffer> {
  const px = new Uint8Array(64 * 64);
  for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) if (x * x + (y - 32) ** 2 < 28 ** 2) px[y * 64 + x] = 100 + ((x * 7 + y * 3) % 100);
  return sharp(Buffer.from(px), { raw: { width: 64, height: 64, channels: 1 } }).png().toBuffer();
}

/** good.png, trunc.pgm, corrupt.png and nopix.dcm in `dir`. */
async function writeImages(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const good = await goodPng();
  await writeFile(join(dir, 'good.png'), good);
  await writeFile(join(dir, 'trunc.pgm'), Buffer.concat([Buffer.from('P5\n64 64\n255\n'), Buffer.alloc(100, 9)]));
  await writeFile(join(dir, 'corrupt.png'), good.subarray(0, 40));
  await writeFile(join(dir, 'nopix.dcm'), writeDicom({ syntax: 'explicit-le', rows: 8, columns: 8, bitsAllocated: 16, omitPixelData: true }));
}

test('CSV manifest: good files prepare, each bad one is reported with its reason', async () => {
  const root = await tempDir('bad-csv');
  await writeImages(root);
  const csv = join(root, 'manifest.csv');
  await writeFile(csv, 'path,label,patient_id\ngood.png,normal,p1\ntrunc.pgm,benign,p2\ncorrupt.png,malignant,p3\nnopix.dcm,normal,p4\nmissing.png,normal,p5\n');
  const out = join(root, 'out');
  const source = await collectSource('csv', csv);
  const res = await prepareDataset({ source, out, sizes: [16, 32], name: 'mixed', workers: 2 });

  const report = JSON.parse(await readFile(join(out, 'mixed-report.json'), 'utf8')) as PrepareReport;
  assert.equal(report.status, 'ok');
  assert.deepEqual(report.counts, { listed: 4, prepared: 1, skipped: 3, adapterProblems: 1, warnings: 0 });
  assert.deepEqual(report.skipped.map((s) => [s.id, s.source]), [['trunc.pgm', 'trunc.pgm'], ['corrupt.png', 'corrupt.png'], ['nopix.dcm', 'nopix.dcm']]);
  const [trunc, corrupt, nopix] = report.skipped.map((s) => s.reason);
  assert.match(trunc!, /truncated PGM/);
  assert.match(corrupt!, /cannot read PNG/);
  assert.match(nopix!, /pixel data/i);
  assert.equal(report.adapterProblems.length, 1);
  assert.match(report.adapterProblems[0]!.source, /manifest\.csv:6$/);
  assert.match(report.adapterProblems[0]!.reason, /missing file missing\.png/);

  const text = summarizeReport(report, res.reportPath);
  for (const s of ['prepared 1 of 4', 'trunc.pgm: truncated PGM', 'corrupt.png: cannot read PNG', 'nopix.dcm:', 'missing file missing.png']) assert.ok(text.includes(s), `${s} in\n${text}`);

  const ds = await loadPreparedDataset(join(out, 'mixed-32.safetensors'));
  try {
    assert.deepEqual(ds.images.shape, [1, 1, 32, 32]);
    assert.deepEqual([ds.records[0]!.id, ds.records[0]!.patientId, ds.records[0]!.label, ds.records[0]!.source, ds.records[0]!.sourceBitDepth], ['good.png', 'p1', 'normal', 'good.png', 8]);
    assert.ok(ds.images.toFloat32Array().some((v) => v > 0.5));
  } finally {
    ds.images.dispose();
  }
});

test('folder-per-class: the same bad files are skipped, the good one prepared', async () => {
  const root = await tempDir('bad-folder');
  await writeImages(join(root, 'normal'));
  const out = join(root, 'out');
  const res = await prepareDataset({ source: await collectSource('folder', root), out, sizes: [16], workers: 1 });
  assert.equal(res.report.counts.prepared, 1);
  assert.deepEqual(res.report.skipped.map((s) => s.id).sort(), ['normal/corrupt.png', 'normal/nopix.dcm', 'normal/trunc.pgm']);
  assert.equal(res.files[0]!.path, join(out, `${root.split('/').pop()}-16.safetensors`));
});

test('duplicate ids: the first is kept, the others reported', async () => {
  const base = await collectSource('phantom', '1', { seed: 3 });
  const [a, b] = base.items;
  const source: PrepareSource = { ...base, items: [a!, { ...b!, record: { ...b!.record, id: a!.record.id } }] };
  const res = await prepareDataset({ source, out: await tempDir('dup'), sizes: [16], workers: 0 });
  assert.equal(res.report.counts.prepared, 1);
  assert.match(res.report.skipped[0]!.reason, /^duplicate id "phantom-0-L"/);
});
