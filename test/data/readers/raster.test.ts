import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { readRaster } from '../../../src/data/readers/raster.js';
import { readImage } from '../../../src/data/readers/index.js';
import { sharedDir } from './shared-data.js';

const dir = mkdtempSync(join(tmpdir(), 'raster-'));
const W = 5;
const H = 3;
const P8 = Array.from({ length: W * H }, (_, i) => i * 17);
const P16 = Array.from({ length: W * H }, (_, i) => i * 4369 + (i % 2)); // low byte matters


/** A minimal uncompressed little-endian grayscale TIFF (sharp's TIFF writer only emits 8-bit). */
function tiff16(pixels: number[], width: number, height: number): Uint8Array {
  const entries: [number, number, number][] = [
    [256, 3, width], [257, 3, height], [258, 3, 16], [259, 3, 1], [262, 3, 1],
    [273, 4, 0], [277, 3, 1], [278, 3, height], [279, 4, pixels.length * 2],
  ];
  const ifdSize = 2 + entries.length * 12 + 4;
  const dataOffset = 8 + ifdSize;
  const out = new DataView(new ArrayBuffer(dataOffset + pixels.length * 2));
  out.setUint16(0, 0x4949, true);
  out.setUint16(2, 42, true);
  out.setUint32(4, 8, true);
  out.setUint16(8, entries.length, true);
  entries.forEach(([tag, type, value], i) => {
    const o = 10 + i * 12;
    out.setUint16(o, tag, true);
    out.setUint16(o + 2, type, true);
    out.setUint32(o + 4, 1, true);
    if (type === 3) out.setUint16(o + 8, value, true);
    else out.setUint32(o + 8, tag === 273 ? dataOffset : value, true);
  });
  pixels.forEach((v, i) => out.setUint16(dataOffset + 2 * i, v, true));
  return new Uint8Array(out.buffer);
}

for (const fmt of ['png', 'tiff'] as const) {
  test(`${fmt} 8-bit decodes to the written pixels`, async () => {
    const p = join(dir, `a8.${fmt}`);
    const s = sharp(Buffer.from(Uint8Array.from(P8)), { raw: { width: W, height: H, channels: 1 } });
    writeFileSync(p, await (fmt === 'png' ? s.png() : s.tiff({ compression: 'lzw' })).toBuffer());
    const img = await readImage(p);
    assert.deepEqual([img.width, img.height, img.bitDepth, img.meta.format], [W, H, 8, fmt]);
    assert.deepEqual(Array.from(img.data), P8);
  });
  test(`${fmt} 16-bit stays 16-bit with its low byte`, async () => {
    const p = join(dir, `a16.${fmt}`);
    const png = sharp(Uint16Array.from(P16), { raw: { width: W, height: H, channels: 1 } }).toColourspace('grey16').png();
    writeFileSync(p, fmt === 'png' ? await png.toBuffer() : tiff16(P16, W, H));
    assert.equal((await sharp(p).metadata()).depth, 'ushort');
    const img = await readRaster(p, fmt);
    assert.equal(img.bitDepth, 16);
    assert.ok(img.data instanceof Uint16Array);
    assert.deepEqual(Array.from(img.data), P16);
  });
}

test('16-bit RGB PNG -> 16-bit luma', async () => {
  const rgb = Uint16Array.from([65535, 0, 0, 1000, 2000, 3000]);
  const p = join(dir, 'rgb16.png');
  writeFileSync(p, await sharp(rgb, { raw: { width: 2, height: 1, channels: 3 } }).toColourspace('rgb16').png().toBuffer());
  const img = await readImage(p);
  assert.equal(img.bitDepth, 16);
  assert.deepEqual(Array.from(img.data), [Math.round(0.299 * 65535), Math.round(0.299 * 1000 + 0.587 * 2000 + 0.114 * 3000)]);
});

test('JPEG decodes to 8-bit gray close to the source', async () => {
  const flat = Array.from({ length: 16 * 16 }, () => 120);
  const p = join(dir, 'g.jpg');
  writeFileSync(p, await sharp(Buffer.from(Uint8Array.from(flat)), { raw: { width: 16, height: 16, channels: 1 } }).jpeg({ quality: 95 }).toBuffer());
  const img = await readImage(p);
  assert.deepEqual([img.width, img.height, img.bitDepth, img.meta.format], [16, 16, 8, 'jpeg']);
  assert.ok(Array.from(img.data).every((v) => Math.abs(v - 120) <= 1));
});

test('colour PNG is converted with Rec.601 luma', async () => {
  const rgb = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]);
  const p = join(dir, 'c.png');
  writeFileSync(p, await sharp(Buffer.from(rgb), { raw: { width: 4, height: 1, channels: 3 } }).png().toBuffer());
  const img = await readImage(p);
  assert.deepEqual(Array.from(img.data), [76, 150, 29, 255]);
});

test('grey stored as RGB takes the luma shortcut, coloured pixels in the same image do not', async () => {
  // Every 8-bit grey level, then coloured pixels: the shortcut must give what the formula gives.
  const px: number[] = [];
  for (let v = 0; v < 256; v++) px.push(v, v, v);
  px.push(10, 200, 30, 200, 200, 201, 0, 0, 1);
  const rgb = Uint8Array.from(px);
  const p = join(dir, 'grey-rgb.png');
  writeFileSync(p, await sharp(Buffer.from(rgb), { raw: { width: px.length / 3, height: 1, channels: 3 } }).png().toBuffer());
  const img = await readImage(p);
  const want = Array.from({ length: px.length / 3 }, (_, i) => Math.round(0.299 * px[3 * i]! + 0.587 * px[3 * i + 1]! + 0.114 * px[3 * i + 2]!));
  assert.deepEqual(Array.from(img.data), want);
  assert.equal(want.slice(0, 256).every((v, i) => v === i), true);
});

test('single-channel data is the decoder\'s own buffer: owned, unshared, aligned', async () => {
  const p = join(dir, 'own16.png');
  writeFileSync(p, await sharp(Uint16Array.from(P16), { raw: { width: W, height: H, channels: 1 } }).toColourspace('grey16').png().toBuffer());
  const p8 = join(dir, 'own8.png');
  writeFileSync(p8, await sharp(Buffer.from(Uint8Array.from(P8)), { raw: { width: W, height: H, channels: 1 } }).png().toBuffer());
  for (const img of [await readRaster(p, 'png'), await readRaster(p8, 'png')]) {
    assert.equal(img.data.byteOffset, 0);
    assert.equal(img.data.buffer.byteLength, img.data.byteLength);
    assert.equal(img.data.length, W * H);
  }
});

test('corrupt PNG: Error names the file and the reason', async () => {
  const good = await sharp(Buffer.from(Uint8Array.from(P8)), { raw: { width: W, height: H, channels: 1 } }).png().toBuffer();
  const p = join(dir, 'bad.png');
  writeFileSync(p, good.subarray(0, 40));
  await assert.rejects(readImage(p), (e: Error) => e.message.startsWith(`${p}: cannot read PNG: `) && e.message.length > p.length + 20);
});

test('mini-MIAS PNG: 1024x1024 8-bit with the README facts', async (t) => {
  const mias = sharedDir('mini-mias');
  if (!mias) return t.skip('../shared/data/mini-mias absent');
  const img = await readImage(join(mias, 'mdb001.png'));
  assert.deepEqual([img.width, img.height, img.bitDepth, img.data[0]], [1024, 1024, 8, 0]);
  assert.equal((img.data as Uint8Array).reduce((m, v) => (v > m ? v : m), 0), 221);
  assert.equal(img.data[598 * 1024 + 535], 215);
});
