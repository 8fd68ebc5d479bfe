// The exported ONNX model computes what the engine computes: onnxruntime (CPU, float32) on 32
// seeded images gives the engine's probabilities within 1e-4 and its layer4 maps, for ResNet-18
// and ResNet-50, both stems, 1 and 3 input channels (width 8, 32 px). Every BatchNorm has random
// statistics and the head a fitted standardisation, so both foldings are exercised.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Generator, noGrad, rand, tidy } from '../../src/tensor/index.js';
import { LinearClassifier } from '../../src/nn/heads.js';
import type { ResNetDepth, Stem } from '../../src/nn/resnet.js';
import { classifierModel, decodeModel, encodeModel, linearClassifierHead } from '../../src/export/index.js';
import { maxAbs, maxAbsDiff, runOnnx, seededResNet } from './helpers.js';

const N = 32;
const SIZE = 32;

const CONFIGS: { depth: ResNetDepth; stem: Stem; channels: 1 | 3; classes: number }[] = [];
for (const depth of [18, 50] as const) {
  for (const stem of ['cifar', 'imagenet'] as const) {
    for (const channels of [1, 3] as const) CONFIGS.push({ depth, stem, channels, classes: channels === 3 ? 3 : 2 });
  }
}

CONFIGS.forEach(({ depth, stem, channels, classes }, k) => {
  test(`ResNet-${depth}, ${stem} stem, ${channels} channel(s), ${classes} classes: onnxruntime gives the engine's probabilities and layer4 maps`, async (t) => {
    const encoder = seededResNet(depth, stem, channels, 100 + k);
    const classifier = new LinearClassifier(encoder.featureDim, classes, { generator: Generator.seeded(200 + k) });
    const x = rand([N, channels, SIZE, SIZE], { generator: Generator.seeded(300 + k) });
    // The scaler from the encoder's own features, as finetune fits it: a non-trivial standardisation.
    tidy(() => noGrad(() => classifier.fitScaler(encoder.forward(x))));
    classifier.eval();
    const engine = tidy(() => noGrad(() => {
      const { layer4, features } = encoder.activations(x);
      const probs = classifier.forward(features).softmax(1);
      return { probabilities: probs.toFloat32Array(), layer4: layer4.toFloat32Array(), layer4Dims: [...layer4.shape] };
    }));

    const model = encodeModel(classifierModel({ encoder, head: linearClassifierHead(classifier), inputSize: SIZE, metadata: {} }));
    const onnx = await runOnnx(model, x.toFloat32Array(), [N, channels, SIZE, SIZE]);

    // The comparison means something only if the probabilities spread: not all near one value.
    const p0 = Array.from({ length: N }, (_, i) => engine.probabilities[i * classes]!);
    assert.ok(Math.max(...p0) - Math.min(...p0) > 0.05, `engine probabilities of class 0 span only [${Math.min(...p0)}, ${Math.max(...p0)}]`);

    const dp = maxAbsDiff(onnx.probabilities, engine.probabilities);
    assert.ok(dp < 1e-4, `max |probability difference| ${dp}`);
    assert.deepEqual(onnx.featureDims, engine.layer4Dims);
    const df = maxAbsDiff(onnx.features, engine.layer4);
    const scale = maxAbs(engine.layer4);
    assert.ok(scale > 0.1, `layer4 maps are almost zero (max ${scale})`);
    assert.ok(df < 1e-4 * Math.max(1, scale), `max |feature difference| ${df} (max |feature| ${scale})`);
    t.diagnostic(`max |dp| ${dp.toExponential(2)}, max |dfeatures| ${df.toExponential(2)} of max ${scale.toFixed(2)}, ${(model.length / 1024).toFixed(0)} KiB`);

    // BatchNorm is folded: no BatchNormalization node, one Conv per convolution weight.
    const graph = decodeModel(model).graph;
    const ops = graph.node.map((n) => n.op_type);
    const convWeights = [...encoder.stateDict().values()].filter((w) => w.ndim === 4).length;
    assert.equal(ops.filter((o) => o === 'Conv').length, convWeights);
    assert.ok(!ops.includes('BatchNormalization'));
    assert.equal(ops.includes('MaxPool'), stem === 'imagenet');
    assert.deepEqual(ops.slice(-4), ['GlobalAveragePool', 'Flatten', 'Gemm', 'Softmax']);

    encoder.dispose();
    classifier.dispose();
    x.dispose();
  });
});
