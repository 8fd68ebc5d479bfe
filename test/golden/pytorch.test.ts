/**
 * mammoclr against PyTorch 1.13 and torchvision 0.14, through the golden files next to this one
 * (written by make_golden.py, committed, so no Python is needed here): ResNet-18 with the paper
 * stem, the ResNet-50 bottleneck, BatchNorm in eval mode, NT-Xent, one LARS step and the
 * deterministic augmentation kernels. SyncBatchNorm, which needs two processes, is compared in
 * test/distributed/golden-sync-batchnorm.test.ts. One file, so libtorch loads once for all.
 *
 * Errors are max |a - b| / max |reference| per tensor (golden.ts), reported as diagnostics.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keep, noGrad, gradients, tidy, type Tensor } from '../../src/tensor/index.js';
import { resnet } from '../../src/nn/resnet.js';
import { BatchNorm } from '../../src/nn/layers.js';
import type { Module } from '../../src/nn/module.js';
import { ntXent } from '../../src/nn/ntxent.js';
import { Lars } from '../../src/optim/lars.js';
import { adjustBrightness, adjustContrast, gaussianBlur, resizedCrop } from '../../src/augment/index.js';
import { loadGolden, assertClose, type Golden, type Reporter } from './golden.js';

// ResNet-18 (paper stem, width 4) and the ResNet-50 bottleneck against torchvision's: the same
// weights loaded by torchvision's names, then the eval forward, and one training-mode forward
// and backward (output, input gradient, parameter gradients, BatchNorm running statistics).
//
// Tolerances, relative to each tensor's largest reference value. Both sides run libtorch in
// float32, but the summation order of convolutions and BatchNorm reductions changes with the
// thread count and the CPU's kernels, so only float32 rounding is common to both. Recomputed in float64, PyTorch's float32 reference is off by at most 1e-6
// (outputs, running statistics) and 2.4e-6 (gradients: backward through BatchNorm subtracts
// means of products); mammoclr's float32 is as far on the other side at worst. The tolerances
// are about ten times that. Measured here: 0 with one thread (the same libtorch kernels as the
// script ran), at most 9.4e-7 on a gradient with 2 or 4 threads.

const FORWARD = 1e-5;
const GRAD = 3e-5;

const sortedKeys = (m: Map<string, unknown>) => [...m.keys()].sort();

/** One training-mode forward and backward of `module`, compared with the golden file's train.* tensors. */
function compareTrainStep(t: Reporter, g: Golden, module: Module & { forward(x: Tensor): Tensor }): void {
  tidy(() => {
    module.train();
    const x = g.get('input').clone().requiresGrad_(true);
    const y = module.forward(x);
    assertClose(t, 'training output', y, g.get('train.output'), FORWARD);
    const params = new Map(module.namedParameters());
    const names = [...g.under('train.grad.').keys()].filter((k) => k !== 'input');
    const [dx, ...dp] = gradients([y], [x, ...names.map((n) => params.get(n)!)], { gradOutputs: [g.get('upstream')] });
    assertClose(t, 'input gradient', dx!, g.get('train.grad.input'), GRAD);
    names.forEach((n, i) => assertClose(t, `gradient of ${n}`, dp[i]!, g.get(`train.grad.${n}`), GRAD));
    const state = module.stateDict();
    const after = g.under('train.after.');
    for (const [name, want] of after) {
      if (name.endsWith('num_batches_tracked')) assert.equal(state.get(name)!.item(), want.item(), name);
      else assertClose(t, name, state.get(name)!, want, FORWARD);
    }
    assert.equal(after.size, [...state.keys()].filter((k) => k.includes('running') || k.includes('num_batches')).length);
  });
}

test('ResNet-18 with the paper stem = torchvision: names, eval forward, one training step', async (t) => {
  const g = await loadGolden('resnet18');
  const model = resnet(18, { stem: 'cifar', inChannels: 1, width: g.number('width') });
  try {
    const state = g.under('state.');
    assert.deepEqual(sortedKeys(model.stateDict()), sortedKeys(state), 'the state dict has exactly torchvision\'s keys');
    model.loadStateDict(state);
    model.eval();
    tidy(() => assertClose(t, 'eval output', noGrad(() => model.forward(g.get('input'))), g.get('eval.output'), FORWARD));
    compareTrainStep(t, g, model);
  } finally {
    model.dispose();
    g.dispose();
  }
});

test('ResNet-50 bottleneck (stride 2, projection shortcut) = torchvision\'s Bottleneck: one training step', async (t) => {
  const g = await loadGolden('bottleneck');
  // In a width-4 ResNet-50, layer2's first block is Bottleneck(16, 8, stride 2) with a downsample.
  const net = resnet(50, { stem: 'cifar', inChannels: 1, width: 4 });
  try {
    const block = net.layer2.children()[0]![1] as Module & { forward(x: Tensor): Tensor };
    const state = g.under('state.');
    assert.deepEqual(sortedKeys(block.stateDict()), sortedKeys(state));
    block.loadStateDict(state);
    compareTrainStep(t, g, block);
  } finally {
    net.dispose();
    g.dispose();
  }
});

// BatchNorm in eval mode against torch.nn.BatchNorm2d/1d: output and gradients (input, weight,
// bias) use the running statistics, not the batch's, and nothing is updated. The input's mean
// and spread are far from the running statistics, so normalising with the batch would be off by
// order 1.
//
// Tolerance 1e-6 relative to the largest reference value: one affine map per element
// ((x - mean) * rsqrt(var + eps) * w + b) and, for the weight and bias gradients, sums of 100
// products per channel, so a few float32 roundings; measured 0 (same libtorch kernels).

const BN_EVAL = 1e-6;

for (const key of ['2d', '1d'] as const) {
  test(`BatchNorm in eval mode = torch BatchNorm${key} in eval mode: output, gradients, statistics untouched`, async (t) => {
    const g = await loadGolden('batchnorm-eval');
    const state = g.under(`${key}.state.`);
    const bn = new BatchNorm(state.get('weight')!.size(0));
    try {
      bn.loadStateDict(state);
      bn.eval();
      tidy(() => {
        const x = g.get(`${key}.input`).clone().requiresGrad_(true);
        const y = bn.forward(x);
        assertClose(t, 'output', y, g.get(`${key}.output`), BN_EVAL);
        const { weight, bias } = bn.tensors();
        const [dx, dw, db] = gradients([y], [x, weight!, bias!], { gradOutputs: [g.get(`${key}.upstream`)] });
        assertClose(t, 'input gradient', dx!, g.get(`${key}.grad.input`), BN_EVAL);
        assertClose(t, 'weight gradient', dw!, g.get(`${key}.grad.weight`), BN_EVAL);
        assertClose(t, 'bias gradient', db!, g.get(`${key}.grad.bias`), BN_EVAL);
        for (const [name, v] of bn.stateDict()) assert.deepEqual(v.toArray(), state.get(name)!.toArray(), `${name} changed in eval mode`);
      });
    } finally {
      bn.dispose();
      g.dispose();
    }
  });
}

// NT-Xent (temperature 0.5, mean over the 2N anchors) against the paper's formula written out in
// PyTorch: logsumexp over the 2N - 1 other samples minus the positive's logit, in float64. The
// reference has no masking constant, so it also checks that the -1e9 self-similarity here drops
// out exactly.
//
// Tolerances, relative: loss 1e-6 and gradients 2e-6. ntXent runs in float32; the same formula
// in PyTorch float32 is 1.7e-8 (loss) and 1.5e-7 (gradients) from the float64 reference, and the
// tolerances allow about ten times that for a different order of the same sums. Measured here:
// 1.4e-7 (loss), 1.8e-7 (gradients).

test('NT-Xent and its gradient = the paper\'s formula in PyTorch (float64), N = 8, D = 16, tau = 0.5', async (t) => {
  const g = await loadGolden('ntxent');
  try {
    tidy(() => {
      const z1 = g.get('z1').clone().requiresGrad_(true);
      const z2 = g.get('z2').clone().requiresGrad_(true);
      const { loss, accuracy, entropy } = ntXent(z1, z2, { temperature: g.number('temperature') });
      assertClose(t, 'loss', loss, g.get('loss'), 1e-6);
      const [d1, d2] = gradients([loss], [z1, z2]);
      assertClose(t, 'gradient of z1', d1!, g.get('grad.z1'), 2e-6);
      assertClose(t, 'gradient of z2', d2!, g.get('grad.z2'), 2e-6);
      // Some anchors rank their positive first and some do not, so accuracy is a real check.
      const want = g.get('accuracy').item();
      assert.ok(want > 0 && want < 1, `the golden accuracy ${want} should be strictly between 0 and 1`);
      assert.equal(accuracy, want);
      const entropyError = Math.abs(entropy - g.get('entropy').item()) / g.get('entropy').item();
      t.diagnostic(`entropy: ${entropyError.toExponential(2)} (tolerance 1e-6)`);
      assert.ok(entropyError <= 1e-6, `entropy ${entropy} vs ${g.get('entropy').item()}`);
    });
  } finally {
    g.dispose();
  }
});

// One LARS step against google-research/simclr's lars_optimizer.py written out as PyTorch tensor
// math in float64 (no PyTorch optimiser implements it): classic and Nesterov momentum, from
// non-zero momentum buffers, with weight decay, the trust ratio, 1-D parameters excluded from
// both (the default exclusion) and a zero weight (trust 1).
//
// The weights are compared relative to the size of the step (max |w_before - w_after| of the
// reference), not to the weights, which the step moves by a few per cent at most: an error in
// the update would hide below a tolerance on the weights. Tolerance 2e-5 of the step: the new
// weights are rounded to float32 (6e-8 of |w|), which here is up to 1.6e-6 of a step (measured).
// Momentum buffers 1e-6 relative: a float32 norm ratio and a multiply-add, measured 6e-8.

for (const variant of ['classic', 'nesterov'] as const) {
  test(`one LARS step (${variant} momentum) = SimCLR's LARS formula in PyTorch (float64)`, async (t) => {
    const g = await loadGolden('lars');
    const params: [string, Tensor][] = [...g.under('before.')].map(([name, w]) => [name, keep(w.clone()).requiresGrad_(true)]);
    const opt = new Lars(params, {
      lr: g.number('lr'), momentum: g.number('momentum'), weightDecay: g.number('weight_decay'),
      trustCoefficient: g.number('trust_coefficient'), nesterov: variant === 'nesterov',
    });
    try {
      assert.deepEqual(opt.describe().filter((d) => !d.weightDecay && !d.adaptation).map((d) => d.name).sort(), ['bn.weight', 'fc.bias']);
      opt.loadState(g.under('momentum.'));
      for (const [name, p] of params) p.setGrad(g.get(`grad.${name}`));
      opt.step();
      tidy(() => {
        for (const [name, p] of params) {
          const before = g.get(`before.${name}`);
          const want = g.get(`${variant}.after.${name}`);
          const step = noGrad(() => before.sub(want).abs().max().item());
          assert.ok(step > 0);
          assertClose(t, `${name} (error / step)`, p.detach(), want, 2e-5, step);
          assertClose(t, `${name} momentum`, opt.state().get(name)!, g.get(`${variant}.momentum.${name}`), 1e-6);
        }
      });
    } finally {
      opt.dispose();
      for (const [, p] of params) p.dispose();
      g.dispose();
    }
  });
}

// The deterministic augmentation kernels against torchvision 0.14's functional ops on tensors,
// with the parameters the script used (stored in the file): adjust_brightness, adjust_contrast,
// gaussian_blur, and resized_crop (bilinear, no antialiasing) followed by hflip/vflip. Here each
// kernel takes the whole batch with per-image parameters; torchvision ran image by image.
//
// Tolerances are absolute (values in [0, 1]) and about ten times the distance of torchvision's
// float32 result from the same op in float64, since the two sides round differently:
// - brightness, contrast 1e-6 (that distance 1.3e-7): (x - m) f + m here, f x + (1 - f) m there;
// - blur 3e-6 (2.6e-7): two 1-D passes here, one 2-D convolution with the outer product there;
// - crop 5e-6 (4.8e-7): sample positions from affine_grid's normalised coordinates here, from
//   pixel arithmetic there; a position error of a few 1e-7 pixels, times pixel-to-pixel
//   differences up to 1 in these random images.
//
// Crops are compared where the two agree by construction: boxes at least as large as the output
// (downscaling), and whole-image boxes when upscaling. An upscaled box inside the image differs
// on purpose at its edges (src/augment/crop.ts: grid_sample blends in the pixels beyond the box
// where torchvision repeats the box's edge).

const COLOUR = 1e-6;
const BLUR = 3e-6;
const CROP = 5e-6;

type Images = 'gray' | 'rgb';
interface Params {
  brightness: Record<Images, [number, boolean][]>;
  contrast: Record<Images, [number, boolean][]>;
  blur: Record<Images, number[]>;
  kernel: number;
  crops: Record<string, { size: number; boxes: [number, number, number, number][]; hflip: boolean[]; vflip: boolean[] }>;
}

const draw = (v: [number, boolean][]) => ({ factor: v.map(([f]) => f), applied: v.map(([, on]) => on) });

async function withGolden(fn: (g: Golden, p: Params) => void): Promise<void> {
  const g = await loadGolden('augment');
  try {
    tidy(() => fn(g, g.json<Params>('params')));
  } finally {
    g.dispose();
  }
}

for (const images of ['gray', 'rgb'] as const) {
  test(`brightness = torchvision adjust_brightness (${images})`, (t) => withGolden((g, p) => {
    assertClose(t, 'brightness', adjustBrightness(g.get(images), draw(p.brightness[images])), g.get(`brightness.${images}`), COLOUR);
  }));

  test(`Gaussian blur = torchvision gaussian_blur (${images})`, (t) => withGolden((g, p) => {
    assertClose(t, 'blur', gaussianBlur(g.get(images), p.blur[images], p.kernel), g.get(`blur.${images}`), BLUR);
  }));
}

test('contrast = torchvision adjust_contrast (one channel: the plain mean)', (t) => withGolden((g, p) => {
  assertClose(t, 'contrast', adjustContrast(g.get('gray'), draw(p.contrast.gray)), g.get('contrast.gray'), COLOUR);
}));

test('contrast = torchvision adjust_contrast (three channels: the mean of the grayscale image)', (t) => withGolden((g, p) => {
  assertClose(t, 'contrast', adjustContrast(g.get('rgb'), draw(p.contrast.rgb)), g.get('contrast.rgb'), COLOUR);
}));

for (const key of ['gray.down', 'gray.up', 'rgb.down']) {
  test(`resized crop + flips = torchvision resized_crop, hflip, vflip (${key})`, (t) => withGolden((g, p) => {
    const c = p.crops[key]!;
    const boxes = c.boxes.map(([top, left, height, width]) => ({ top, left, height, width }));
    const out = resizedCrop(g.get(key.split('.')[0]!), boxes, { horizontal: c.hflip, vertical: c.vflip }, c.size);
    assertClose(t, 'crop', out, g.get(`crop.${key}`), CROP);
  }));
}
