/** Every file of ../shared/data/dicom/manifest.json against its recorded expectations. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { decodeDicomBytes, decodeStoredValues, readDicom, renderFrame, modalityTransform, type StoredValues } from '../../../src/data/readers/dicom/index.js';
import { sharedDir } from './shared-data.js';

const root = sharedDir('dicom');
interface Entry {
  file: string;
  expected: {
    decodes: boolean;
    pixel_sha256?: string;
    decoded_dtype?: string;
    decoded_shape?: number[];
    min?: number;
    max?: number;
    sample_values_frame0?: Record<string, number>;
    pixel_sha256_per_frame?: string[];
    comparisons?: { vs: string; space: string; max_abs_diff: number; mean_abs_diff: number; max_abs_diff_excluding_8_wrapped_pixels?: number }[];
    windowing_example?: { linear_0_255_then_rint_uint8_sha256: string };
    lut_application?: { modality_lut_output_sha256?: string; voi_lut_output_sha256?: string };
  };
}
const files: Entry[] = root ? JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')).files : [];
const sha = (a: ArrayBufferView): string => createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
const TYPES: Record<string, string> = { '<i2': 'Int16Array', '<u2': 'Uint16Array', '|u1': 'Uint8Array', '|i1': 'Int8Array' };

const cache = new Map<string, StoredValues>();
async function stored(file: string): Promise<StoredValues> {
  if (!cache.has(file)) cache.set(file, await decodeStoredValues(join(root!, file)));
  return cache.get(file)!;
}

test('shared DICOM data present', (t) => {
  if (!root) t.skip('../shared/data/dicom absent');
  else assert.equal(files.length, 42);
});

for (const f of files) {
  const e = f.expected;
  if (e.decodes) {
    test(`${f.file}: stored values match the manifest`, async () => {
      const s = await stored(f.file);
      assert.equal(s.values.constructor.name, TYPES[e.decoded_dtype!]);
      const [frames, rows, cols, spp = 1] = e.decoded_shape!;
      assert.deepEqual([s.header.numberOfFrames, s.header.rows, s.header.columns, s.header.samplesPerPixel], [frames, rows, cols, spp]);
      assert.equal(sha(s.values), e.pixel_sha256);
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of s.values) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      assert.deepEqual([lo, hi], [e.min, e.max]);
      for (const [rc, v] of Object.entries(e.sample_values_frame0 ?? {})) {
        const [r, c] = rc.split(',').map(Number) as [number, number];
        if (spp === 1) assert.equal(s.values[r * cols + c], v, `value at ${rc}`);
      }
      e.pixel_sha256_per_frame?.forEach((h, k) => assert.equal(sha(s.values.subarray(k * s.frameLength, (k + 1) * s.frameLength)), h, `frame ${k}`));
    });
    for (const cmp of e.comparisons ?? []) {
      if (!files.some((g) => g.file === cmp.vs)) continue; // the WG04 uncompressed originals are not shipped
      test(`${f.file}: within tolerance of ${cmp.vs} (${cmp.space})`, async () => {
        const a = await stored(f.file);
        const b = await stored(cmp.vs);
        const modality = cmp.space.startsWith('modality');
        const [ma, mb] = await Promise.all([f.file, cmp.vs].map(async (file) => {
          const { dataSet } = await decodeDicomBytes(new Uint8Array(readFileSync(join(root!, file))), file);
          return modalityTransform(dataSet, await stored(file));
        }));
        let max = 0;
        let sum = 0;
        for (let i = 0; i < a.values.length; i++) {
          const d = modality ? Math.abs(ma!.apply(a.values[i]!) - mb!.apply(b.values[i]!)) : Math.abs(a.values[i]! - b.values[i]!);
          if (d > max) max = d;
          sum += d;
        }
        assert.ok(max <= cmp.max_abs_diff + 1e-3, `max abs diff ${max} > ${cmp.max_abs_diff}`);
        assert.ok(Math.abs(sum / a.values.length - cmp.mean_abs_diff) < 0.01, `mean abs diff ${sum / a.values.length} vs ${cmp.mean_abs_diff}`);
      });
    }
    if (e.windowing_example) {
      test(`${f.file}: LINEAR window to uint8 matches the manifest hash`, async () => {
        const { stored: s, dataSet } = await decodeDicomBytes(new Uint8Array(readFileSync(join(root!, f.file))), f.file);
        assert.equal(sha(renderFrame(s, dataSet, 0, 255).data), e.windowing_example!.linear_0_255_then_rint_uint8_sha256);
      });
    }
  } else {
    test(`${f.file}: rejected with a clear error naming the file`, async () => {
      const path = join(root!, f.file);
      await assert.rejects(readDicom(path), (err: unknown) => {
        assert.ok(err instanceof Error);
        assert.ok(err.message.startsWith(`${path}: `), err.message);
        assert.match(err.message, /truncated|no pixel data|Sequence Delimitation/);
        return true;
      });
    });
  }
}

test('LUT files: Modality LUT Sequence and VOI LUT Sequence outputs match the manifest', async (t) => {
  if (!root) return t.skip('../shared/data/dicom absent');
  const ml = files.find((f) => f.file === 'luts/mlut_18.dcm')!;
  const m = await decodeDicomBytes(new Uint8Array(readFileSync(join(root, ml.file))), ml.file);
  const mt = modalityTransform(m.dataSet, m.stored);
  assert.equal(sha(Uint16Array.from(m.stored.values, (v) => mt.apply(v))), ml.expected.lut_application!.modality_lut_output_sha256);
  const vl = files.find((f) => f.file === 'luts/vlut_04.dcm')!;
  const v = await decodeDicomBytes(new Uint8Array(readFileSync(join(root, vl.file))), vl.file);
  assert.equal(sha(renderFrame(v.stored, v.dataSet, 0, 65535).data), vl.expected.lut_application!.voi_lut_output_sha256);
});

test('readDicom on real files: MONOCHROME1, functional groups, bit depth, laterality/view', async (t) => {
  if (!root) return t.skip('../shared/data/dicom absent');
  const rg3 = await readDicom(join(root, 'cr_monochrome1_wg04/RG3_J2KR'));
  assert.equal(rg3.bitDepth, 16);
  assert.equal(rg3.data[0], 65535); // stored 0, window 550/1024, inverted -> white
  assert.equal(rg3.meta.notes?.inverted, 'MONOCHROME1');
  const ct = await readDicom(join(root, 'ct_transfer_syntaxes/CT0012.fragmented_no_bot_jpeg_baseline.51.dcm'));
  assert.equal(ct.meta.notes?.voi, 'window 49/102 LINEAR');
  assert.equal(ct.meta.notes?.modalityTransform, 'rescale slope 1 intercept -1024');
  assert.equal(ct.meta.notes?.frames, '2 frames in file, frame 0 returned');
  const dfl = await readDicom(join(root, 'bit_depth/image_dfl.dcm'));
  assert.equal(dfl.bitDepth, 8);
  const mg = await readDicom(join(root, 'mammo_wg04/MG1_J2KI'));
  assert.deepEqual([mg.width, mg.height, mg.bitDepth, mg.meta.laterality, mg.meta.view], [3064, 4664, 16, 'L', 'MLO']);
  const rgb = await readDicom(join(root, 'color/SC_rgb_rle.dcm'));
  const s = await stored('color/SC_rgb_rle.dcm');
  const p = 3 * (50 * 100 + 50);
  assert.equal(rgb.data[50 * 100 + 50], Math.round(0.299 * s.values[p]! + 0.587 * s.values[p + 1]! + 0.114 * s.values[p + 2]!));
  assert.equal(rgb.data[0], 76); // pure red (255,0,0) -> round(0.299 * 255)
});

test('no patient identifier of a real file reaches meta', async (t) => {
  if (!root) return t.skip('../shared/data/dicom absent');
  const ID_TAGS = ['x00100010', 'x00100020', 'x00100030', 'x00080050', 'x0020000d', 'x0020000e', 'x00080018', 'x00080080', 'x00080020', 'x00080090', 'x00200010', 'x00080030', 'x00081030'];
  for (const file of ['ct_transfer_syntaxes/CTImage.dcm_LittleEndianExplicitTransferSyntax_1.2.840.10008.1.2.1.dcm', 'mr_small/MR_small.dcm', 'mammo_wg04/MG1_J2KI']) {
    const ds = dicomParser.parseDicom(new Uint8Array(readFileSync(join(root, file))));
    const ids = ID_TAGS.map((tag) => ds.string(tag)?.trim()).filter((v): v is string => !!v && v.length >= 3);
    assert.ok(ids.length >= 3, `${file} should carry identifiers for this test to mean something`);
    const meta = JSON.stringify((await readDicom(join(root, file))).meta);
    for (const id of ids) assert.ok(!meta.includes(id), `meta of ${file} leaks an identifier`);
  }
});
