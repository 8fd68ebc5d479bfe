import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor, Generator, randn, tensor, tidy, noGrad, memoryStats } from '../../src/tensor/index.js';
import { ResNet } from '../../src/nn/resnet.js';
import { LinearClassifier } from '../../src/nn/heads.js';
import { gradCam, camFromWeights, normaliseCams, layerGradients } from '../../src/explain/gradcam.js';

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

/** A narrow ResNet-18 (width 8, paper stem) + linear head, random weights, BN statistics made non-trivial. */
function model(classes: number, seed = 7) {
  const g = Generator.seeded(seed);
  const encoder = new ResNet({ depth: 18, stem: 'cifar', inChannels: 1, width: 8, generator: g });
  const head = new LinearClassifier(encoder.featureDim, classes, { generator: g });
  // A few training-mode forwards give BN running statistics other than (0, 1).
  tidy(() => noGrad(() => {
    for (let i = 0; i < 3; i++) encoder.forward(randn([8, 1, 32, 32], { generator: g }));
  }));
  encoder.eval();
  return { encoder, head, g };
}

const fcWeight = (head: LinearClassifier): Tensor => head.stateDict().get('fc.weight')!;

test('Grad-CAM at layer4 equals CAM from the classifier weights (alpha * Z = w, same normalised map)', () => {
  const { encoder, head, g } = model(3);
  const before = memoryStats().liveTensors;
  tidy(() => {
    const x = randn([4, 1, 32, 32], { generator: g });
    const lg = layerGradients(encoder, head, x);
    assert.deepEqual(lg.activations.shape, [4, 64, 4, 4]);
    // Gradient of a GAP + linear score w.r.t. A^k_ij is w_k^c / Z everywhere (Z = 16).
    const alphaZ = lg.gradients.mean([2, 3]).mul(16).toFloat32Array();
    const w = fcWeight(head).toFloat32Array();
    const expected = new Float32Array(4 * 64);
    lg.classes.forEach((c, n) => expected.set(w.subarray(c * 64, (c + 1) * 64), n * 64));
    assert.ok(maxAbsDiff(alphaZ, expected) < 1e-6, `alpha*Z vs w: ${maxAbsDiff(alphaZ, expected)}`);
    // Each gradient map is constant over (i, j).
    const gr = lg.gradients.toFloat32Array();
    for (let k = 0; k < gr.length; k += 16) for (let j = 1; j < 16; j++) assert.ok(Math.abs(gr[k + j]! - gr[k]!) < 1e-7);

    const gc = gradCam(encoder, head, x);
    assert.deepEqual(gc.maps.shape, [4, 32, 32]);
    assert.deepEqual(gc.lowRes.shape, [4, 4, 4]);
    // Default target = argmax logit.
    const logits = noGrad(() => head.forward(encoder.forward(x))).toFloat32Array();
    for (let n = 0; n < 4; n++) {
      const row = Array.from(logits.subarray(n * 3, n * 3 + 3));
      assert.equal(gc.classes[n], row.indexOf(Math.max(...row)));
      assert.ok(Math.abs(gc.scores[n]! - Math.max(...row)) < 1e-5);
    }
    const act = noGrad(() => encoder.activations(x).layer4);
    const cam = camFromWeights(act, fcWeight(head), gc.classes);
    // Exact identity before normalisation: Grad-CAM's sum_k alpha_k A^k = CAM / Z.
    const dRaw = maxAbsDiff(gc.raw.mul(16).toFloat32Array(), cam.toFloat32Array());
    assert.ok(dRaw < 1e-5, `Z * Grad-CAM vs CAM: ${dRaw}`);
    // Same map after normalisation. The 1e-7 in (x - min) / (1e-7 + max) is not scale-free, so
    // the two differ by up to 1e-7 * Z / max(CAM) (about 1e-5 here): compare at the same scale
    // exactly, and at CAM's own scale within that bound.
    const same = normaliseCams(cam.div(16), 32);
    assert.ok(maxAbsDiff(gc.maps.toFloat32Array(), same.maps.toFloat32Array()) < 1e-6);
    assert.ok(maxAbsDiff(gc.lowRes.toFloat32Array(), same.lowRes.toFloat32Array()) < 1e-6);
    const oracle = normaliseCams(cam, 32);
    const d = maxAbsDiff(gc.maps.toFloat32Array(), oracle.maps.toFloat32Array());
    assert.ok(d < 1e-4, `Grad-CAM vs CAM max |diff| ${d}`);
    // Normalised: each low-res map spans [0, 1] (the random model has a positive CAM somewhere);
    // the upsampled map stays within [0, 1] (its peak sits between pixel centres, so just under 1).
    const m = gc.maps.toFloat32Array();
    const lr = gc.lowRes.toFloat32Array();
    for (let n = 0; n < 4; n++) {
      const s = lr.subarray(n * 16, (n + 1) * 16);
      assert.ok(Math.min(...s) === 0 && Math.abs(Math.max(...s) - 1) < 1e-4, `low-res range ${Math.min(...s)}..${Math.max(...s)}`);
      const u = m.subarray(n * 1024, (n + 1) * 1024);
      assert.ok(Math.min(...u) >= 0 && Math.max(...u) <= 1 + 1e-6 && Math.max(...u) > 0.8);
    }
    // Every class, not just the argmax: the identity holds for any target.
    for (const c of [0, 1, 2]) {
      const a = gradCam(encoder, head, x, { targetClass: c }).maps.toFloat32Array();
      const b = normaliseCams(camFromWeights(act, fcWeight(head), [c, c, c, c]).div(16), 32).maps.toFloat32Array();
      assert.ok(maxAbsDiff(a, b) < 1e-6, `class ${c}: ${maxAbsDiff(a, b)}`);
    }
  });
  assert.equal(memoryStats().liveTensors, before, 'no tensors leak');
  encoder.dispose();
  head.dispose();
});

test('a 1-logit head explains +z for class 1 and -z for class 0 (pytorch-grad-cam BinaryClassifierOutputTarget)', () => {
  const { encoder, head, g } = model(1, 11);
  tidy(() => {
    const x = randn([3, 1, 32, 32], { generator: g });
    const z = noGrad(() => head.forward(encoder.forward(x))).toFloat32Array();
    const def = gradCam(encoder, head, x);
    assert.deepEqual(def.classes, Array.from(z, (v) => (v > 0 ? 1 : 0)));
    for (const c of [0, 1]) {
      const r = gradCam(encoder, head, x, { targetClass: c });
      r.scores.forEach((s, n) => assert.ok(Math.abs(s - (c === 1 ? z[n]! : -z[n]!)) < 1e-5));
      const act = noGrad(() => encoder.activations(x).layer4);
      const oracle = normaliseCams(camFromWeights(act, fcWeight(head), [c, c, c]).div(16), 32).maps.toFloat32Array();
      assert.ok(maxAbsDiff(r.maps.toFloat32Array(), oracle) < 1e-6);
    }
  });
  encoder.dispose();
  head.dispose();
});

test('layer3 gradients match central finite differences (float64, through layer4 blocks)', () => {
  const { encoder, head, g } = model(2, 3);
  encoder.to({ dtype: 'float64' });
  head.to({ dtype: 'float64' });
  tidy(() => {
    const x = randn([1, 1, 32, 32], { generator: g, dtype: 'float64' });
    const lg = layerGradients(encoder, head, x, { layer: 'layer3', targetClass: 1 });
    assert.deepEqual(lg.activations.shape, [1, 32, 8, 8]);
    const a0 = lg.activations.toArray();
    const grad = lg.gradients.toArray();
    // The score as a function of layer3's activations: layer4 blocks, GAP, linear head.
    const score = (a: number[]): number => tidy(() => noGrad(() => {
      const l4 = encoder.layer4.forward(tensor(new Float64Array(a), [1, 32, 8, 8]));
      return head.forward(l4.mean([2, 3])).select(1, 1).item();
    }));
    const eps = 1e-5;
    // Sample entries spread over channels and positions (all 2048 would be slow and redundant).
    let worst = 0;
    for (let idx = 5; idx < a0.length; idx += 97) {
      const p = a0.slice(); p[idx]! += eps;
      const m = a0.slice(); m[idx]! -= eps;
      const fd = (score(p) - score(m)) / (2 * eps);
      worst = Math.max(worst, Math.abs(fd - grad[idx]!) / Math.max(1e-3, Math.abs(grad[idx]!)));
    }
    console.log(`# layer3 FD: worst relative error ${worst.toExponential(2)}`);
    assert.ok(worst < 1e-5, `relative FD error ${worst}`);
    assert.ok(Math.abs(lg.scores[0]! - score(a0)) < 1e-10);
  });
  encoder.dispose();
  head.dispose();
});

test('a batch gives the same maps, classes and scores as one image at a time', () => {
  const { encoder, head, g } = model(3, 5);
  tidy(() => {
    const x = randn([5, 1, 32, 32], { generator: g });
    for (const layer of ['layer4', 'layer3'] as const) {
      const batch = gradCam(encoder, head, x, { layer });
      const bm = batch.maps.toFloat32Array();
      for (let n = 0; n < 5; n++) {
        const one = gradCam(encoder, head, x.narrow(0, n, 1), { layer });
        assert.equal(one.classes[0], batch.classes[n]);
        assert.ok(Math.abs(one.scores[0]! - batch.scores[n]!) < 1e-5);
        const d = maxAbsDiff(one.maps.toFloat32Array(), bm.subarray(n * 1024, (n + 1) * 1024));
        assert.ok(d < 1e-5, `${layer} image ${n}: ${d}`);
      }
    }
    // The modules' modes are restored.
    encoder.train(true);
    gradCam(encoder, head, x.narrow(0, 0, 1));
    assert.equal(encoder.training, true);
    assert.equal(head.training, true);
  });
  encoder.dispose();
  head.dispose();
});
