import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePgm, readPgm } from '../../../src/data/readers/pgm.js';
import { decodeRaster } from '../../../src/data/readers/raster.js';
import { sharedDir } from './shared-data.js';

const enc = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

test('P5 8-bit with header comments', () => {
  const img = decodePgm(Buffer.concat([enc('P5\n# made by a test\n3 2 # size\n255\n'), Uint8Array.from([0, 1, 2, 253, 254, 255])]), 'a.pgm');
  assert.deepEqual([img.width, img.height, img.bitDepth], [3, 2, 8]);
  assert.deepEqual(Array.from(img.data), [0, 1, 2, 253, 254, 255]);
});

test('P5 16-bit is big-endian', () => {
  const img = decodePgm(Buffer.concat([enc('P5 2 1 65535\n'), Uint8Array.from([0x12, 0x34, 0xff, 0xfe])]), 'b.pgm');
  assert.equal(img.bitDepth, 16);
  assert.ok(img.data instanceof Uint16Array);
  assert.deepEqual(Array.from(img.data), [0x1234, 0xfffe]);
});

test('P2 ASCII 8- and 16-bit, odd maxval kept as is', () => {
  const a = decodePgm(enc('P2\n# c\n2 2\n100\n0 50\n# mid\n99 100\n'), 'c.pgm');
  assert.deepEqual([a.bitDepth, ...a.data], [8, 0, 50, 99, 100]);
  assert.equal(a.meta.notes?.maxval, 100);
  const b = decodePgm(enc('P2 3 1 4095 0 2048 4095'), 'd.pgm');
  assert.deepEqual([b.bitDepth, ...b.data], [16, 0, 2048, 4095]);
});

test('errors name the file and the reason', () => {
  assert.throws(() => decodePgm(Buffer.concat([enc('P5\n4 4\n255\n'), new Uint8Array(10)]), 'short.pgm'), { message: 'short.pgm: truncated PGM: expected 16 bytes of pixel data, found 10' });
  assert.throws(() => decodePgm(enc('P6\n1 1\n255\n\0\0\0'), 'x.ppm'), /^Error: x\.ppm: bad PGM magic "P6"/);
  assert.throws(() => decodePgm(enc('GIF89a'), 'y.pgm'), /y\.pgm: bad PGM magic/);
  assert.throws(() => decodePgm(enc('P5\n4 x\n255\n'), 'h.pgm'), /h\.pgm: bad PGM header/);
  assert.throws(() => decodePgm(enc('P5\n1 1\n70000\n\0\0'), 'm.pgm'), /maxval 70000/);
  assert.throws(() => decodePgm(enc('P2 2 1 255 1'), 'p2.pgm'), /p2\.pgm: truncated PGM/);
});

test('mini-MIAS: PNG pixels written as P5 read back identically (and match SHA256SUMS.pgm)', async (t) => {
  const mias = sharedDir('mini-mias');
  if (!mias) return t.skip('../shared/data/mini-mias absent');
  const png = await decodeRaster(join(mias, 'mdb001.png'), 'mdb001.png', 'png');
  assert.deepEqual([png.width, png.height, png.bitDepth], [1024, 1024, 8]);
  const pgmBytes = Buffer.concat([enc('P5\n1024 1024\n255\n'), png.data as Uint8Array]);
  const want = readFileSync(join(mias, 'SHA256SUMS.pgm'), 'utf8').split('\n').find((l) => l.endsWith('mdb001.pgm'))!.split(/\s+/)[0];
  assert.equal(createHash('sha256').update(pgmBytes).digest('hex'), want);
  const p = join(mkdtempSync(join(tmpdir(), 'pgm-')), 'mdb001.pgm');
  writeFileSync(p, pgmBytes);
  const pgm = await readPgm(p);
  assert.deepEqual(pgm.data, png.data);
  assert.equal(pgm.data[598 * 1024 + 535], 215); // README: centre px of mdb001
});
