// A PyTorch user can load the export: scripts/onnx_to_torchvision.py rebuilds a torchvision ResNet
// from the file's initializers (torchvision's names, BatchNorm folded) and gives the engine's
// probabilities. Full width (torchvision builds no other), 1 and 3 channels, both stems. Needs
// python3 with torch, torchvision and onnx (Debian: python3-torch python3-torchvision python3-onnx);
// skips with a message otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator, noGrad, rand, tidy } from '../../src/tensor/index.js';
import { LinearClassifier } from '../../src/nn/heads.js';
import type { ResNetDepth, Stem } from '../../src/nn/resnet.js';
import { classifierModel, encodeModel, linearClassifierHead } from '../../src/export/index.js';
import { maxAbsDiff, seededResNet } from './helpers.js';

const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import torch, torchvision, onnx'], { stdio: 'ignore' }).status === 0);
const dir = mkdtempSync(join(tmpdir(), 'mammoclr-tv-onnx-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const N = 4;

const CASES: { depth: ResNetDepth; stem: Stem; channels: 1 | 3 }[] = [
  { depth: 18, stem: 'cifar', channels: 1 },
  { depth: 50, stem: 'imagenet', channels: 3 },
];

for (const { depth, stem, channels } of CASES) {
  test(`ResNet-${depth} (${stem} stem, ${channels} channel(s), width 64) loads as a torchvision model with the engine's probabilities`, { skip: python ? false : 'python3 with torch, torchvision and onnx is not installed' }, async (t) => {
    const encoder = seededResNet(depth, stem, channels, 51, 64);
    const classifier = new LinearClassifier(encoder.featureDim, 2, { generator: Generator.seeded(52) });
    const x = rand([N, channels, 32, 32], { generator: Generator.seeded(53) });
    tidy(() => noGrad(() => classifier.fitScaler(encoder.forward(x))));
    const engine = tidy(() => noGrad(() => classifier.forward(encoder.forward(x)).softmax(1).toFloat32Array()));
    const path = join(dir, `r${depth}.onnx`);
    writeFileSync(path, encodeModel(classifierModel({ encoder, head: linearClassifierHead(classifier), inputSize: 32, metadata: {
      'mammoclr.architecture': JSON.stringify({ depth, stem, width: 64, inChannels: channels }), 'mammoclr.classes': '["a","b"]',
    } })));
    const pixels = join(dir, 'x.f32');
    writeFileSync(pixels, x.toFloat32Array());
    const r = spawnSync(python!, ['scripts/onnx_to_torchvision.py', path, pixels, String(N)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
    assert.equal(r.status, 0, r.stderr);
    const torch = (JSON.parse(r.stdout) as number[][]).flat();
    const d = maxAbsDiff(torch, engine);
    assert.ok(d < 1e-4, `max |probability difference| PyTorch vs engine ${d}`);
    t.diagnostic(`max |dp| ${d.toExponential(2)}; P(b) ${torch.filter((_, i) => i % 2 === 1).map((p) => p.toFixed(3)).join(' ')}`);
    encoder.dispose();
    classifier.dispose();
    x.dispose();
  });
}
