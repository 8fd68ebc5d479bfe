import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Generator, tensor, tidy, noGrad, F, randperm, setNumThreads, getNumThreads } from '../../src/tensor/index.js';
import { ResNet } from '../../src/nn/resnet.js';
import { LinearClassifier } from '../../src/nn/heads.js';
import { Sgd } from '../../src/optim/sgd.js';
import { renderPhantom, type Phantom } from '../../src/data/phantom/index.js';
import { preprocessMammogram, heatmapToOriginal, type Preprocessed } from '../../src/data/preprocess/index.js';
import { createRng } from '../../src/data/rng.js';
import { gradCam } from '../../src/explain/gradcam.js';
import { pointingGame, pointingOutcome, acceptRegion, circlesToMask, argmax2d, type PointingCase } from '../../src/explain/pointing.js';

const onePixel = (w: number, h: number, x: number, y: number): Uint8Array => {
  const m = new Uint8Array(w * h);
  m[y * w + x] = 1;
  return m;
};
const mapPeak = (w: number, h: number, x: number, y: number): Float32Array => {
  const m = new Float32Array(w * h).fill(0.1);
  m[y * w + x] = 1;
  return m;
};

test('hit rule: strictly within tolerance of a lesion pixel (TorchRay), chance by hand', () => {
  const mask = onePixel(10, 10, 5, 5);
  // Tolerance 2: offsets with dx^2 + dy^2 < 4 are the 3x3 block (distance 2 itself is out).
  const acc = acceptRegion(mask, 10, 10, 2);
  assert.equal(acc.reduce((a, b) => a + b, 0), 9);
  const hit = pointingOutcome({ map: mapPeak(10, 10, 6, 6), width: 10, height: 10, label: 'm', mask }, 2)!;
  assert.equal(hit.hit, true);
  assert.deepEqual(hit.point, { x: 6, y: 6 });
  assert.equal(hit.chance, 9 / 100);
  const miss = pointingOutcome({ map: mapPeak(10, 10, 7, 5), width: 10, height: 10, label: 'm', mask }, 2)!;
  assert.equal(miss.hit, false, 'distance exactly 2 is not < 2');
  // Chance within a breast region (the left half, x < 5): only column 4 of the 3x3 block, 3/50.
  const breast = new Uint8Array(100);
  for (let y = 0; y < 10; y++) for (let x = 0; x < 5; x++) breast[y * 10 + x] = 1;
  assert.equal(pointingOutcome({ map: mapPeak(10, 10, 4, 4), width: 10, height: 10, label: 'm', mask, breast }, 2)!.chance, 3 / 50);
  // A 2x2 lesion at (2..3, 2..3), tolerance 1.5 (dx^2+dy^2 < 2.25 reaches the diagonal): a 4x4 block of 64.
  const sq = new Uint8Array(64);
  for (const [x, y] of [[2, 2], [3, 2], [2, 3], [3, 3]]) sq[y! * 8 + x!] = 1;
  const r = pointingOutcome({ map: mapPeak(8, 8, 1, 4), width: 8, height: 8, label: 'm', mask: sq }, 1.5)!;
  assert.equal(r.chance, 16 / 64);
  assert.equal(r.hit, true);
  assert.equal(pointingOutcome({ map: mapPeak(8, 8, 0, 4), width: 8, height: 8, label: 'm', mask: sq }, 1.5)!.hit, false);
});

test('mini-MIAS circles, ties and normals', () => {
  // Centre (4, 4), radius 1: the 5-pixel plus; tolerance 1 accepts only the lesion itself.
  const m = circlesToMask([{ x: 4, y: 4, radius: 1 }], 9, 9);
  assert.equal(m.reduce((a, b) => a + b, 0), 5);
  const c: PointingCase = { map: mapPeak(9, 9, 5, 4), width: 9, height: 9, label: 'CIRC', lesions: [{ x: 4, y: 4, radius: 1 }] };
  const r = pointingOutcome(c, 1)!;
  assert.equal(r.hit, true);
  assert.equal(r.chance, 5 / 81);
  assert.equal(pointingOutcome({ ...c, map: mapPeak(9, 9, 5, 5) }, 1)!.hit, false);
  // Ties: the first maximum in row-major order (np.argmax), so a flat map points at (0, 0).
  assert.deepEqual(argmax2d(new Float32Array(81), 9), { x: 0, y: 0 });
  // No lesion: not scored.
  assert.equal(pointingOutcome({ ...c, lesions: [] }, 1), null);
});

test('accuracy per class = hits / (hits + misses), averaged over classes; normals skipped', () => {
  const mask = onePixel(10, 10, 5, 5);
  const at = (x: number, y: number, label: string): PointingCase => ({ map: mapPeak(10, 10, x, y), width: 10, height: 10, label, mask });
  const s = pointingGame([at(5, 5, 'A'), at(6, 5, 'A'), at(0, 0, 'A'), at(9, 9, 'B'), { ...at(5, 5, 'B'), mask: new Uint8Array(100) }], { tolerance: 2 });
  const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} != ${b}`);
  assert.deepEqual({ ...s.perClass.A!, chance: 0 }, { hits: 2, misses: 1, accuracy: 2 / 3, chance: 0 });
  assert.deepEqual({ ...s.perClass.B!, chance: 0 }, { hits: 0, misses: 1, accuracy: 0, chance: 0 });
  near(s.perClass.A!.chance, 0.09);
  near(s.accuracy, 1 / 3);
  near(s.chance, 0.09);
  assert.equal(s.skipped, 1);
  assert.equal(s.tolerance, 2);
  assert.equal(pointingGame([]).tolerance, 15, 'TorchRay default');
});

// Phantoms with one obvious lesion: each (seed, index) is rendered as normal and with a round
// mass whose contrast is tripled (normal + 3 * (benign - normal)), at 64 px, and preprocessed to
// 32 px. The pair differs only by the lesion, so the classifier must look at it.
const ORIG = 64;
const S = 32;
function phantoms(seed: string, n: number): { ph: Phantom; pp: Preprocessed; y: number }[] {
  const out: { ph: Phantom; pp: Preprocessed; y: number }[] = [];
  for (let i = 0; i < n; i++) {
    const spec = { seed, index: i >> 1, laterality: (i % 4 < 2 ? 'L' : 'R') as 'L' | 'R', size: ORIG, marker: false };
    const y = i % 2;
    const ph = renderPhantom({ ...spec, label: y ? 'benign' : 'normal' });
    if (y) {
      const base = renderPhantom({ ...spec, label: 'normal' }).image.data;
      const d = ph.image.data;
      for (let j = 0; j < d.length; j++) d[j] = Math.min(65535, Math.max(0, Math.round(base[j]! + 3 * (d[j]! - base[j]!))));
    }
    out.push({ ph, pp: preprocessMammogram(ph.image, { size: S }), y });
  }
  return out;
}

test('a ResNet trained on phantoms points at the lesion well above chance', () => {
  // One thread: these convolutions are too small to gain from two, and OpenMP's spin-waiting
  // makes them 5-30x slower when the cores are shared (measured while other jobs ran).
  const threads = getNumThreads();
  setNumThreads(1);
  const t0 = performance.now();
  const g = Generator.seeded(1);
  const encoder = new ResNet({ depth: 18, stem: 'cifar', inChannels: 1, width: 8, generator: g });
  const head = new LinearClassifier(encoder.featureDim, 2, { generator: g });
  try {
    const train = phantoms('gradcam-train', 256);
    const held = phantoms('gradcam-test', 64);
    const stack = (items: { pp: Preprocessed }[]) => tensor(Float32Array.from(items.flatMap((t) => Array.from(t.pp.data))), [items.length, 1, S, S]);
    const X = stack(train);
    const Y = tensor(new BigInt64Array(train.map((t) => BigInt(t.y))), [train.length]);
    const opt = new Sgd([...encoder.parameters(), ...head.parameters()], { lr: 0.02, momentum: 0.9, weightDecay: 5e-4 });
    const aug = createRng('gradcam-aug');
    // Random shifts (up to 4 px) and vertical flips keep the model from keying on position.
    for (let step = 0; step < 300; step++) {
      tidy(() => {
        const idx = randperm(train.length, { generator: g }).narrow(0, 0, 32);
        let x = F.pad(X.indexSelect(0, idx), [4, 4, 4, 4]).narrow(2, aug.int(9), S).narrow(3, aug.int(9), S);
        if (aug.next() < 0.5) x = x.flip(2);
        const loss = F.crossEntropy(head.forward(encoder.forward(x)), Y.indexSelect(0, idx));
        opt.zeroGrad();
        loss.backward();
        opt.step();
      });
    }
    opt.dispose();
    X.dispose();
    Y.dispose();
    const trainSeconds = (performance.now() - t0) / 1000;

    const lesionIdx = held.flatMap((t, i) => (t.y ? [i] : []));
    const Xt = stack(held);
    const logits = noGrad(() => head.forward(encoder.forward(Xt))).toFloat32Array();
    const correct = held.filter((t, i) => (logits[2 * i + 1]! > logits[2 * i]!) === (t.y === 1)).length;
    const report: string[] = [];
    const score = (layer: 'layer4' | 'layer3', tolNet: number) => tidy(() => {
      const maps = gradCam(encoder, head, Xt, { layer, targetClass: 1 }).maps.toFloat32Array();
      // Heatmaps go back to the original 64 px grid; the tolerance is stated there (2 original px per network px).
      const cases: PointingCase[] = lesionIdx.map((i) => ({
        map: heatmapToOriginal(held[i]!.pp.transform, maps.subarray(i * S * S, (i + 1) * S * S), S),
        width: ORIG,
        height: ORIG,
        label: 'lesion',
        mask: held[i]!.ph.mask,
        breast: held[i]!.ph.breast,
      }));
      const s = pointingGame(cases, { tolerance: tolNet * (ORIG / S) });
      report.push(`${layer} tol ${s.tolerance} orig px: ${s.accuracy.toFixed(3)} vs chance ${s.chance.toFixed(3)}`);
      return s;
    });
    const l3 = score('layer3', 2);
    const l4 = score('layer4', 3);
    Xt.dispose();
    console.log(`# pointing game (${lesionIdx.length} held-out lesions, test accuracy ${(correct / held.length).toFixed(3)}, train ${trainSeconds.toFixed(1)} s): ${report.join('; ')}`);
    assert.ok(correct / held.length >= 0.7, `classifier accuracy ${correct / held.length}`);
    assert.ok(l3.accuracy >= 3 * l3.chance && l3.accuracy >= 0.4, report.join('; '));
    assert.ok(l4.accuracy >= 1.5 * l4.chance, report.join('; '));
  } finally {
    encoder.dispose();
    head.dispose();
    setNumThreads(threads);
  }
});
