// The viewer's copy of a model stores its weights as float16 (half the size) and casts them back
// to float32 in the graph: a full-width ResNet-18 must then give the float32 model's
// probabilities within 1e-3 in onnxruntime, at about half the bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Generator, noGrad, rand, tensor, tidy } from '../../src/tensor/index.js';
import { LinearClassifier } from '../../src/nn/heads.js';
import { classifierModel, decodeModel, encodeModel, linearClassifierHead, withFloat16Weights, FLOAT16 } from '../../src/export/index.js';
import { ResNet } from '../../src/nn/resnet.js';
import { maxAbsDiff, runOnnx } from './helpers.js';

test('float16 weights: a full-width ResNet-18 gives the float32 probabilities within 1e-3 at about half the size', async (t) => {
  const N = 16;
  // Freshly initialised (BatchNorm near the identity, as after training it is near a scale): the
  // seeded random statistics of the other export tests blow the logits up to tens, where any
  // rounding of the weights moves the probabilities by more than it would in a trained model.
  const encoder = new ResNet({ depth: 18, stem: 'cifar', inChannels: 1, width: 64, generator: Generator.seeded(7) }).eval();
  const classifier = new LinearClassifier(encoder.featureDim, 2, { generator: Generator.seeded(8) });
  // Images that differ as mammograms do (in brightness and texture), not N draws of one noise: the
  // fitted standardisation divides by the spread of the features across images, and over
  // identically distributed noise that spread is tiny, which magnifies any rounding.
  const x = tidy(() => rand([N, 1, 32, 32], { generator: Generator.seeded(9) }).mul(tensor(Array.from({ length: N }, (_, i) => 0.2 + (0.8 * i) / (N - 1)), [N, 1, 1, 1])));
  tidy(() => noGrad(() => classifier.fitScaler(encoder.forward(x))));
  classifier.eval();
  const message = classifierModel({ encoder, head: linearClassifierHead(classifier), inputSize: 32, metadata: { k: 'v' } });
  const full = encodeModel(message);
  const half = encodeModel(withFloat16Weights(message));
  const input = x.toFloat32Array();
  const a = await runOnnx(full, input, [N, 1, 32, 32]);
  const b = await runOnnx(half, input, [N, 1, 32, 32]);
  const p = Array.from({ length: N }, (_, i) => a.probabilities[i * 2 + 1]!);
  assert.ok(Math.max(...p) - Math.min(...p) > 0.05, `probabilities span only [${Math.min(...p)}, ${Math.max(...p)}]`);
  const dp = maxAbsDiff(a.probabilities, b.probabilities);
  assert.ok(dp < 1e-3, `max |probability difference| ${dp}`);
  assert.ok(dp > 0, 'the float16 model computed exactly the float32 probabilities: were the weights converted?');
  const ratio = half.length / full.length;
  assert.ok(ratio > 0.49 && ratio < 0.52, `float16 model is ${ratio.toFixed(3)} of the float32 size`);
  const g = decodeModel(half).graph;
  const convWeights = [...encoder.stateDict().values()].filter((w) => w.ndim === 4).length;
  assert.equal(g.initializer.filter((i) => i.data_type === FLOAT16).length, convWeights + 0);
  assert.equal(g.node.filter((n) => n.op_type === 'Cast').length, convWeights);
  // The head stays float32: the viewer reads its weights for the class activation map.
  assert.ok(g.initializer.some((i) => i.name === 'head.weight' && i.data_type === 1));
  assert.deepEqual(decodeModel(half).metadata_props, [{ key: 'k', value: 'v' }]);
  t.diagnostic(`max |dp| ${dp.toExponential(2)}; ${(full.length / 1e6).toFixed(1)} MB -> ${(half.length / 1e6).toFixed(1)} MB`);
  x.dispose();
});
