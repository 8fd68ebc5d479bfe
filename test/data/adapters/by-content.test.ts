// Images are found by content, not by extension: the folder, csv and unlabeled adapters and the
// prepare report on a PACS-like tree, and on the real DICOM files when ../shared has them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { loadGeneric, loadUnlabeled } from '../../../src/data/adapters/index.js';
import { readImage } from '../../../src/data/readers/index.js';
import { collectSource, prepareDataset } from '../../../src/data/cache/index.js';
import { writeDicom, type DicomSpec } from '../readers/dicom-writer.js';
import { sharedDir } from '../readers/shared-data.js';

// 16 x 16 8-bit images whose first row is 0, 255, then a value of the file's own; min 0 and max
// 255 make the reader's min..max display mapping the identity, so pixels read back as written.
function pixels(mark: number): number[] {
  return Array.from({ length: 256 }, (_, i) => (i === 0 ? 0 : i === 1 ? 255 : i < 16 ? mark : 100 + ((i * 7) % 50)));
}
const image = (mark: number, spec: Partial<DicomSpec> = {}): Uint8Array =>
  writeDicom({ syntax: 'explicit-le', rows: 16, columns: 16, bitsAllocated: 8, pixels: pixels(mark), ...spec });

/** A PACS-like folder: three DICOM images named without .dcm, beside files that are not images. */
async function pacsTree(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'mammoclr-by-content-'));
  const files: Record<string, Uint8Array | string> = {
    'normal/IM000001': image(11),
    'normal/scan.dat': image(22),
    'normal/series/raw0001': image(33, { syntax: 'implicit-le', noPreamble: true }),
    'normal/DICOMDIR': image(0, { sopClassUid: '1.2.840.10008.1.3.10', omitPixelData: true }),
    'normal/cad-report.dcm': image(0, { sopClassUid: '1.2.840.10008.5.1.4.1.1.88.50', omitPixelData: true }),
    'normal/README': 'Exported from the PACS on 2024-01-01.\n',
    'normal/.DS_Store': Buffer.from([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31]).toString('latin1'),
    // Starts like an implicit VR data set (group 0008) but its first length is absurd.
    'normal/junk': Buffer.concat([Buffer.from([0x08, 0x00, 0x16, 0x00, 0xff, 0xff, 0xff, 0x7f]), Buffer.alloc(64, 7)]).toString('latin1'),
    // Named like an image: kept, so the report says what is wrong with it.
    'normal/broken.png': 'this is not a PNG',
  };
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), typeof content === 'string' ? Buffer.from(content, 'latin1') : content);
  }
  return root;
}

const MARKS: Record<string, number> = { 'normal/IM000001': 11, 'normal/scan.dat': 22, 'normal/series/raw0001': 33 };

async function assertPixels(records: { id: string; imagePath: string }[]): Promise<void> {
  for (const r of records.filter((x) => x.id in MARKS)) {
    const img = await readImage(r.imagePath);
    assert.equal(img.meta.format, 'dicom', r.id);
    assert.deepEqual([img.width, img.height], [16, 16]);
    assert.deepEqual(Array.from(img.data.subarray(0, 16)), pixels(MARKS[r.id]!).slice(0, 16), r.id);
  }
}

test('folder adapter: DICOM found by content (no extension, .dat, no preamble); DICOMDIR, reports, text and junk left out', async () => {
  const root = await pacsTree();
  const { records, problems } = await loadGeneric(root);
  assert.deepEqual(records.map((r) => [r.id, r.label, r.patientId]), [
    ['normal/IM000001', 'normal', 'normal/IM000001'],
    ['normal/broken.png', 'normal', 'normal/broken'],
    ['normal/scan.dat', 'normal', 'normal/scan.dat'],
    ['normal/series/raw0001', 'normal', 'normal/raw0001'],
  ]);
  assert.deepEqual(problems, []);
  await assertPixels(records);
});

test('unlabeled adapter finds the same images', async () => {
  const root = await pacsTree();
  const { records } = await loadUnlabeled(root);
  assert.deepEqual(records.map((r) => [r.id, r.patientId]), [
    ['normal/IM000001', 'normal/IM000001'],
    ['normal/broken.png', 'normal/broken'],
    ['normal/scan.dat', 'normal/scan.dat'],
    ['normal/series/raw0001', 'normal/series/raw0001'],
  ]);
  await assertPixels(records);
});

test('csv adapter: files named in the manifest are read by content', async () => {
  const root = await pacsTree();
  const csv = join(root, 'manifest.csv');
  await writeFile(csv, 'path,label,patient_id\nnormal/IM000001,normal,p1\nnormal/scan.dat,benign,p2\nnormal/series/raw0001,malignant,p3\n');
  const { records, problems } = await loadGeneric(csv);
  assert.deepEqual(problems, []);
  assert.deepEqual(records.map((r) => r.id), ['normal/IM000001', 'normal/scan.dat', 'normal/series/raw0001']);
  await assertPixels(records);
});

test('prepare of the folder: three images prepared, only the broken PNG reported', async () => {
  const root = await pacsTree();
  const out = join(root, 'out');
  const res = await prepareDataset({ source: await collectSource('folder', root), out, sizes: [16], workers: 0 });
  const { warnings: _, ...counts } = res.report.counts; // 16 px test images may or may not show a breast
  assert.deepEqual(counts, { listed: 4, prepared: 3, skipped: 1, adapterProblems: 0 });
  assert.deepEqual(res.report.skipped.map((s) => s.id), ['normal/broken.png']);
  const report = await readFile(res.reportPath, 'utf8');
  for (const name of ['DICOMDIR', 'README', 'cad-report', 'junk']) assert.ok(!report.includes(name), `${name} in the report`);
});

test('real DICOM files: every image is found, with or without .dcm; the structured report is not', async (t) => {
  const dicom = sharedDir('dicom');
  if (!dicom) return t.skip('no shared/data/dicom next to the checkout');
  const manifest = JSON.parse(await readFile(join(dicom, 'manifest.json'), 'utf8')) as { files: { file: string; SOPClassName?: string }[] };
  const images = manifest.files.filter((f) => !/SR Storage$/.test(f.SOPClassName ?? '')).map((f) => f.file).sort();
  assert.ok(images.includes('mammo_wg04/MG1_J2KI'), 'the manifest still lists the extensionless mammogram');
  assert.ok(manifest.files.some((f) => f.file === 'no_pixel_data/reportsi.dcm'));
  const { records } = await loadUnlabeled(dicom);
  assert.deepEqual(records.map((r) => relative(dicom, r.imagePath)).sort(), images);
});
