// The detection work's patch scorer as ONNX: a 64 px window of a prepared image, area-averaged to
// the encoder's 32 px inside the graph, then encoder, standardisation and logistic probe. On 32
// windows onnxruntime gives the window probabilities of the engine's own path (cropPatches,
// patchFeatures, windowProbabilities) within 1e-4.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Generator, rand } from '../../src/tensor/index.js';
import { PreparedPlanes, type PatchLocation } from '../../src/data/patches.js';
import { fromHalfBits, toHalfArray } from '../../src/data/cache/float16.js';
import { patchFeatures } from '../../src/train/patch-features.js';
import { windowProbabilities } from '../../src/train/detection.js';
import { fitLogisticProbe } from '../../src/train/logistic-probe.js';
import { classifierModel, decodeModel, encodeModel } from '../../src/export/index.js';
import { maxAbsDiff, runOnnx, seededResNet } from './helpers.js';

const S = 128;
const VIEW = { size: 64, input: 32 };

test('patch model: onnxruntime on 64 px windows gives the engine\'s window probabilities', async (t) => {
  const encoder = seededResNet(18, 'cifar', 1, 21);
  const image = rand([S * S], { generator: Generator.seeded(22) });
  const planes = new PreparedPlanes(toHalfArray(image.toFloat32Array()), 1, S);
  image.dispose();
  const locations: PatchLocation[] = Array.from({ length: 32 }, (_, i) => ({ image: 0, x: (i * 7) % (S - VIEW.size + 1), y: (i * 13) % (S - VIEW.size + 1) }));
  const features = patchFeatures(encoder, planes, locations, VIEW);
  const labels = locations.map((_, i) => i % 2);
  const probe = fitLogisticProbe(features.values, features.rows, features.dims, labels, locations.map((_, i) => `p${i}`), { lambdas: [0.1] });
  const engine = windowProbabilities(probe, features, locations.map((_, i) => i));
  assert.ok(Math.max(...engine) - Math.min(...engine) > 0.05, `engine window probabilities span only [${Math.min(...engine)}, ${Math.max(...engine)}]`);

  const head = { classes: probe.classes, dims: probe.dims, weight: probe.weights.flat(), bias: probe.bias, mean: probe.mean, std: probe.std };
  const model = encodeModel(classifierModel({ encoder, head, inputSize: VIEW.size, poolFactor: VIEW.size / VIEW.input, metadata: {} }));
  assert.equal(decodeModel(model).graph.node[0]!.op_type, 'AveragePool');
  // The full-resolution windows, read from the same float16 planes the engine crops.
  const windows = new Float32Array(locations.length * VIEW.size * VIEW.size);
  locations.forEach((p, m) => {
    for (let y = 0; y < VIEW.size; y++) {
      for (let x = 0; x < VIEW.size; x++) windows[(m * VIEW.size + y) * VIEW.size + x] = fromHalfBits(planes.bits[(p.y + y) * S + p.x + x]!);
    }
  });
  const onnx = await runOnnx(model, windows, [locations.length, 1, VIEW.size, VIEW.size]);
  const positive = Array.from({ length: locations.length }, (_, i) => onnx.probabilities[2 * i + 1]!);
  const d = maxAbsDiff(positive, engine);
  assert.ok(d < 1e-4, `max |window probability difference| ${d}`);
  t.diagnostic(`max |dp| ${d.toExponential(2)} over ${locations.length} windows, ${(model.length / 1024).toFixed(0)} KiB`);
  encoder.dispose();
});
