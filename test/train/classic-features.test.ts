// The classic-CAD descriptors against hand-worked values: the scale-normalised LoG of a Gaussian
// blob (closed form), the top-hat of a speck and of a plateau, and every statistic of a window
// over a two-level breast whose z-scores follow from the fractions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/tensor/index.js';
import { PreparedPlanes } from '../../src/data/patches.js';
import { toHalfBits } from '../../src/data/cache/float16.js';
import { CLASSIC_FEATURE_NAMES, blobSigmas, classicWindowFeatures, gaussianAndSecondDerivative, scaleNormalisedLog, topHatSide, whiteTopHat } from '../../src/train/classic-features.js';

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tolerance ${tol})`);

test('the Gaussian sums to 1 and its second derivative to 0', () => {
  for (const sigma of [1, 2.5, 8]) {
    const { g, g2 } = gaussianAndSecondDerivative(sigma);
    assert.equal(g.length, 2 * Math.ceil(4 * sigma) + 1);
    close(g.reduce((a, b) => a + b, 0), 1, 1e-6, `sum of G, sigma ${sigma}`);
    close(g2.reduce((a, b) => a + b, 0), 0, 1e-6, `sum of G'', sigma ${sigma}`);
    // G''(0) = -G(0) / sigma^2 up to the small zero-sum correction.
    const r = (g.length - 1) / 2;
    close(g2[r]!, -g[r]! / sigma ** 2, 0.02 * (g[r]! / sigma ** 2), `G''(0), sigma ${sigma}`);
  }
});

test('scale-normalised LoG of a Gaussian blob: 2 A s^2 sigma^2 / (s^2 + sigma^2)^2 at its centre, largest at sigma = s', () => {
  // A blob A exp(-r^2 / 2 s^2) blurred by G_sigma is A s^2/(s^2+sigma^2) exp(-r^2 / 2 (s^2+sigma^2)); the
  // Laplacian of B exp(-r^2 / 2v) at 0 is -2B/v, so -sigma^2 times it is the formula above: A/2 at sigma = s.
  const S = 96;
  const A = 3;
  const s = 4;
  const c = S / 2;
  const blob = Float32Array.from({ length: S * S }, (_, i) => A * Math.exp(-(((i % S) - c) ** 2 + (Math.floor(i / S) - c) ** 2) / (2 * s * s)));
  const z = tensor(blob, [1, 1, S, S]);
  const atCentre = (sigma: number) => {
    const out = scaleNormalisedLog(z, sigma);
    const v = out.toFloat32Array()[c * S + c]!;
    out.dispose();
    return v;
  };
  const expected = (sigma: number) => (2 * A * s * s * sigma * sigma) / (s * s + sigma * sigma) ** 2;
  const got = [2, 4, 8].map(atCentre);
  [2, 4, 8].forEach((sigma, k) => close(got[k]!, expected(sigma), 0.02 * expected(sigma), `sigma ${sigma}`));
  close(got[1]!, A / 2, 0.01 * A, 'sigma = s gives A/2');
  assert.ok(got[1]! > got[0]! && got[1]! > got[2]!, `the blob's own scale responds most: ${got}`);
  z.dispose();

  // Flat tissue gives no response, up to the image's edges (reflected).
  const flat = tensor(new Float32Array(S * S).fill(0.7), [1, 1, S, S]);
  const response = scaleNormalisedLog(flat, 4);
  assert.ok(response.toFloat32Array().every((v) => Math.abs(v) < 1e-5), 'flat tissue gives no blob response');
  response.dispose();
  flat.dispose();
  // A kernel wider than the image (sigma 8 on 16 px: radius 32) is zero-padded: flat tissue of
  // z = 0 (the breast mean) still gives nothing, and a bright centre still responds.
  const small = new Float32Array(16 * 16);
  small[8 * 16 + 8] = 1;
  const zs = tensor(small, [1, 1, 16, 16]);
  const wide = scaleNormalisedLog(zs, 8);
  assert.deepEqual(wide.shape, [1, 1, 16, 16]);
  const w = wide.toFloat32Array();
  assert.ok(w[8 * 16 + 8]! > 0 && w[8 * 16 + 8]! === Math.max(...w), 'the bright pixel is the strongest response');
  wide.dispose();
  zs.dispose();
});

test('white top-hat keeps a speck narrower than the square and removes a wider plateau', () => {
  const S = 32;
  const img = new Float32Array(S * S).fill(0.5);
  img[10 * S + 10] = 2.5; // a one-pixel speck, 2 above its surroundings
  for (let y = 20; y < 27; y++) for (let x = 20; x < 27; x++) img[y * S + x] = 1.5; // a 7x7 plateau
  const z = tensor(img, [1, 1, S, S]);
  const hat = whiteTopHat(z, 5);
  const h = hat.toFloat32Array();
  close(h[10 * S + 10]!, 2, 1e-6, 'the speck');
  assert.equal(h.filter((v) => Math.abs(v) > 1e-6).length, 1, 'only the speck survives');
  hat.dispose();
  z.dispose();
  assert.equal(topHatSide(64), 5);
  assert.equal(topHatSide(16), 3);
  assert.deepEqual(blobSigmas(64), [2, 4, 8, 16]);
});

test('window descriptors of a two-level breast: z statistics, centre minus surround, position, breast fraction, filter maxima', () => {
  // Breast = columns 0-31 of a 64 px image: rows 0-39 at 0.25, rows 40-63 at 0.75; outside is 0.
  const S = 64;
  const bits = new Uint16Array(S * S);
  for (let y = 0; y < S; y++) for (let x = 0; x < 32; x++) bits[y * S + x] = toHalfBits(y < 40 ? 0.25 : 0.75);
  const planes = new PreparedPlanes(bits, 1, S);
  const p = 24 / 64; // share of breast pixels at 0.75
  const mean = 0.25 + 0.5 * p;
  const sd = 0.5 * Math.sqrt(p * (1 - p));
  const zLow = (0.25 - mean) / sd;
  const zHigh = (0.75 - mean) / sd;

  const size = 32;
  const f = classicWindowFeatures(planes, [{ image: 0, x: 16, y: 24 }], size);
  assert.equal(f.dims, CLASSIC_FEATURE_NAMES.length);
  const at = (name: (typeof CLASSIC_FEATURE_NAMES)[number]) => f.values[CLASSIC_FEATURE_NAMES.indexOf(name)]!;
  // Window: columns 16-47 (breast 16-31), rows 24-55 (16 rows low, 16 high); 512 breast pixels, half each.
  close(at('mean z'), (zLow + zHigh) / 2, 1e-4, 'mean z');
  close(at('sd z'), (zHigh - zLow) / 2, 1e-4, 'sd z');
  close(at('90th percentile z'), zHigh, 1e-4, '90th percentile');
  // Centre = columns 24-39, rows 32-47 of the image: breast columns 24-31; rows 32-39 low, 40-47 high, so its mean
  // is the window's: centre minus surround is 0. Shift down by 8 rows and the centre is 0-high / 8-high rows.
  close(at('centre minus surround z'), 0, 1e-4, 'centre minus surround');
  close(at('x in breast'), (16 + 16) / 32, 1e-6, 'x in breast');
  close(at('y in breast'), (24 + 16) / 64, 1e-6, 'y in breast');
  close(at('breast fraction'), 0.5, 1e-6, 'breast fraction');

  const g = classicWindowFeatures(planes, [{ image: 0, x: 16, y: 32 }], size);
  const gat = (name: (typeof CLASSIC_FEATURE_NAMES)[number]) => g.values[CLASSIC_FEATURE_NAMES.indexOf(name)]!;
  // Rows 32-63: 8 low, 24 high. Centre rows 40-55: all high (8 columns); surround: 8 x 16 low + (24 x 16 - 8 x 16) high.
  const surround = (8 * 16 * zLow + (24 * 16 - 8 * 16) * zHigh) / (32 * 16 - 8 * 16);
  close(gat('centre minus surround z'), zHigh - surround, 1e-4, 'centre minus surround, shifted');

  // Filter maxima: the same maps computed here directly, maximum over the centre's breast pixels.
  const z = new Float32Array(S * S);
  for (let y = 0; y < S; y++) for (let x = 0; x < 32; x++) z[y * S + x] = y < 40 ? zLow : zHigh;
  const zt = tensor(z, [1, 1, S, S]);
  const centreMax = (map: Float32Array, x0: number, y0: number) => {
    let m = -Infinity;
    for (let y = y0 + 8; y < y0 + 24; y++) for (let x = x0 + 8; x < x0 + 24; x++) if (x < 32) m = Math.max(m, map[y * S + x]!);
    return m;
  };
  blobSigmas(size).forEach((sigma, k) => {
    const map = scaleNormalisedLog(zt, sigma);
    close(g.values[4 + k]!, centreMax(map.toFloat32Array(), 16, 32), 1e-5, `blob sigma ${sigma}`);
    map.dispose();
  });
  const hat = whiteTopHat(zt, topHatSide(size));
  const h = hat.toFloat32Array();
  close(gat('top-hat max'), centreMax(h, 16, 32), 1e-5, 'top-hat max');
  let hatSum = 0;
  for (let y = 32; y < 64; y++) for (let x = 16; x < 32; x++) hatSum += h[y * S + x]!;
  close(gat('top-hat mean'), hatSum / 512, 1e-5, 'top-hat mean');
  hat.dispose();
  zt.dispose();
});

test('window descriptors refuse a window outside the image and an image without breast', () => {
  const planes = new PreparedPlanes(new Uint16Array(2 * 32 * 32).fill(toHalfBits(0.5), 0, 32 * 32), 2, 32);
  assert.throws(() => classicWindowFeatures(planes, [{ image: 0, x: 20, y: 0 }], 16), /window \(20, 0\) of 16 px leaves the 32 px image/);
  assert.throws(() => classicWindowFeatures(planes, [{ image: 1, x: 0, y: 0 }], 16), /image 1: no breast pixels/);
});
