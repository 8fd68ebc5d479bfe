// The .onnx file itself: the foldings' algebra on hand-checked numbers, the protobuf decoding back
// with onnx.proto to the same fields and bytes, the schema check refusing a bad field, and (where
// Debian's python3-onnx is installed) ONNX's own checker and strict shape inference accepting it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator } from '../../src/tensor/index.js';
import { LinearClassifier } from '../../src/nn/heads.js';
import {
  classifierModel, decodeModel, encodeModel, foldBatchNorm, foldStandardisation, linearClassifierHead, ONNX_IR_VERSION, ONNX_OPSET, type ModelMessage,
} from '../../src/export/index.js';
import { seededResNet } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'mammoclr-onnx-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('foldBatchNorm: BN(conv(x)) of a hand-computed case', () => {
  // s = gamma / sqrt(var + eps) = [1/2, 2/1]; W' = W s; b' = (0 - mean) s + beta.
  const f = foldBatchNorm(
    { weight: Float32Array.of(2, -1), outChannels: 2, bias: null },
    { gamma: Float32Array.of(1, 2), beta: Float32Array.of(0.5, 0), mean: Float32Array.of(1, -1), variance: Float32Array.of(3, 0), eps: 1 },
  );
  assert.deepEqual([...f.weight], [1, -2]);
  assert.deepEqual([...f.bias], [0, 2]);
  // At x = 3: conv gives [6, -3]; BN gives [(6 - 1) / 2 + 0.5, (-3 + 1) / 1 * 2] = [3, -4].
  assert.deepEqual([3 * f.weight[0]! + f.bias[0]!, 3 * f.weight[1]! + f.bias[1]!], [3, -4]);
});

test('foldStandardisation: W ((h - mean) / std) + b as one affine map', () => {
  const f = foldStandardisation({ classes: 1, dims: 2, weight: [1, 2], bias: [0.5], mean: [1, -1], std: [2, 4] });
  assert.deepEqual([...f.weight], [0.5, 0.5]);
  assert.deepEqual([...f.bias], [0.5]);
  // h = [3, 5]: (3 - 1) / 2 * 1 + (5 + 1) / 4 * 2 + 0.5 = 4.5.
  assert.equal(3 * f.weight[0]! + 5 * f.weight[1]! + f.bias[0]!, 4.5);
});

function smallModel(): { model: ModelMessage; bytes: Uint8Array; dims: number } {
  const encoder = seededResNet(18, 'cifar', 1, 7);
  const classifier = new LinearClassifier(encoder.featureDim, 2, { generator: Generator.seeded(8) });
  const model = classifierModel({ encoder, head: linearClassifierHead(classifier), inputSize: 32, metadata: { 'mammoclr.task': 'normal-vs-abnormal', 'mammoclr.classes': '["normal","abnormal"]' } });
  const dims = encoder.featureDim;
  encoder.dispose();
  classifier.dispose();
  return { model, bytes: encodeModel(model), dims };
}

test('the file decodes with onnx.proto to the fields written, and re-encodes to the same bytes', () => {
  const { model, bytes, dims } = smallModel();
  const back = decodeModel(bytes);
  assert.equal(back.ir_version, ONNX_IR_VERSION);
  assert.deepEqual(back.opset_import, [{ domain: '', version: ONNX_OPSET }]);
  assert.equal(back.producer_name, 'mammoclr');
  assert.equal(back.producer_version, JSON.parse(readFileSync('package.json', 'utf8')).version);
  assert.deepEqual(back.metadata_props, model.metadata_props);
  assert.deepEqual(back.graph.input[0], { name: 'input', doc_string: model.graph.input[0]!.doc_string, type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_param: 'N' }, { dim_value: 1 }, { dim_value: 32 }, { dim_value: 32 }] } } } });
  assert.deepEqual(back.graph.output.map((o) => o.type.tensor_type.shape.dim.map((d) => d.dim_value ?? d.dim_param)), [['N', 2], ['N', dims, 4, 4]]);
  assert.equal(back.graph.node.length, model.graph.node.length);
  for (const t of back.graph.initializer) {
    assert.equal(t.data_type, 1);
    assert.equal(t.raw_data.length, 4 * t.dims.reduce((a, b) => a * b, 1), t.name);
  }
  // Weights decode to the values written (little-endian float32).
  const written = model.graph.initializer.find((t) => t.name === 'head.weight')!;
  const read = back.graph.initializer.find((t) => t.name === 'head.weight')!;
  assert.deepEqual(read.dims, [2, dims]);
  assert.deepEqual([...new Uint8Array(read.raw_data)], [...written.raw_data]);
  assert.deepEqual(Buffer.from(encodeModel(back)), Buffer.from(bytes));
});

test('a message that does not fit onnx.proto is refused before anything is written', () => {
  const { model } = smallModel();
  model.graph.node[0]!.attribute[0]!.type = 99;
  assert.throws(() => encodeModel(model), /ONNX model does not fit onnx\.proto: .*type: enum value expected/);
});

const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0);

const CHECK = String.raw`
import json, sys, onnx
m = onnx.load(sys.argv[1])
onnx.checker.check_model(m, full_check=True)
inferred = onnx.shape_inference.infer_shapes(m, check_type=True, strict_mode=True)
shape = lambda v: [d.dim_value if d.HasField('dim_value') else d.dim_param for d in v.type.tensor_type.shape.dim]
print(json.dumps({'opset': m.opset_import[0].version, 'ir': m.ir_version, 'outputs': {o.name: shape(o) for o in inferred.graph.output},
  'values': len(inferred.graph.value_info), 'meta': {p.key: p.value for p in m.metadata_props}}))
`;

test('ONNX\'s own checker (full check) and strict shape inference accept the file', { skip: python ? false : 'python3 with the onnx package is not installed (Debian: apt-get install python3-onnx)' }, () => {
  const { bytes, dims, model } = smallModel();
  const path = join(dir, 'model.onnx');
  writeFileSync(path, bytes);
  const r = spawnSync(python!, ['-c', CHECK, path], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.opset, ONNX_OPSET);
  assert.equal(out.ir, ONNX_IR_VERSION);
  assert.deepEqual(out.outputs, { probabilities: ['N', 2], features: ['N', dims, 4, 4] });
  // Shape inference reached every intermediate value (one per node output that is not a graph output).
  assert.equal(out.values, model.graph.node.length - 2);
  assert.equal(out.meta['mammoclr.task'], 'normal-vs-abnormal');
});
