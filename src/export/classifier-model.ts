/**
 * An encoder and a linear head as one ONNX model (opset 17):
 *
 *   input [N, C, S, S] -> (AveragePool, patch models only) -> ResNet (BatchNorm folded) ->
 *   features [N, D, h, w] -> GlobalAveragePool -> Flatten -> Gemm (standardisation folded) ->
 *   Softmax -> probabilities [N, K]
 *
 * `features` is an output too: the head is linear after an average, so the class activation map
 * of class c is sum_d W[c, d] features[:, d] + b[c] with W and b the initializers head.weight and
 * head.bias, and its spatial mean is the logit of c. For a linear head on pooled features that is
 * what Grad-CAM at layer4 gives (up to its ReLU and rescaling).
 */
import type { ResNet } from '../nn/resnet.js';
import { GraphBuilder, floatValueInfo } from './graph-builder.js';
import { emitResNet } from './resnet-graph.js';
import { foldStandardisation, type StandardisedLinearHead } from './fold.js';
import { ONNX_IR_VERSION, ONNX_OPSET, type ModelMessage } from './onnx-proto.js';
import { mammoclrPackage } from './package-info.js';

export const INPUT = 'input';
export const PROBABILITIES = 'probabilities';
export const FEATURES = 'features';
export const HEAD_WEIGHT = 'head.weight';
export const HEAD_BIAS = 'head.bias';
/** The batch dimension's name: any N. */
export const BATCH = 'N';

export interface ClassifierExport {
  encoder: ResNet;
  head: StandardisedLinearHead;
  /** Side of the square input in pixels. */
  inputSize: number;
  /**
   * Area-average the input by this whole factor before the encoder (a detection window of 64 px
   * read by an encoder trained at 32 px: 2). Default 1: no pooling node.
   */
  poolFactor?: number;
  /** Stored as metadata_props, in this order. */
  metadata: Record<string, string>;
  docString?: string;
}

export function classifierModel(e: ClassifierExport): ModelMessage {
  const { encoder, head } = e;
  const pool = e.poolFactor ?? 1;
  if (!Number.isInteger(pool) || pool < 1 || e.inputSize % pool !== 0) throw new Error(`input of ${e.inputSize} px cannot be area-averaged by ${pool}`);
  if (head.dims !== encoder.featureDim) throw new Error(`the head reads ${head.dims} features, the encoder gives ${encoder.featureDim}`);
  const channels = encoder.config.inChannels;
  const g = new GraphBuilder();
  let x = { name: g.input(INPUT), channels, size: e.inputSize };
  if (pool > 1) {
    // Non-overlapping means over pool x pool blocks: cropPatches' area averaging of a window.
    x = { ...x, name: g.node('AveragePool', [x.name], { kernel_shape: [pool, pool], strides: [pool, pool] }), size: e.inputSize / pool };
  }
  const maps = emitResNet(g, encoder, x, FEATURES);
  const pooled = g.node('GlobalAveragePool', [maps.name]);
  const flat = g.node('Flatten', [pooled], { axis: 1 });
  const { weight, bias } = foldStandardisation(head);
  g.constant(HEAD_WEIGHT, [head.classes, head.dims], weight);
  g.constant(HEAD_BIAS, [head.classes], bias);
  const logits = g.node('Gemm', [flat, HEAD_WEIGHT, HEAD_BIAS], { transB: 1 });
  g.node('Softmax', [logits], { axis: 1 }, PROBABILITIES);

  const graph = g.build(
    'mammoclr',
    [floatValueInfo(INPUT, [BATCH, channels, e.inputSize, e.inputSize], 'prepared image(s), float32; see metadata mammoclr.preprocessing')],
    [
      floatValueInfo(PROBABILITIES, [BATCH, head.classes], 'class probabilities, in the order of metadata mammoclr.classes'),
      floatValueInfo(FEATURES, [BATCH, maps.channels, maps.size, maps.size], `layer4 feature maps; class activation map of class c = sum_d ${HEAD_WEIGHT}[c, d] * ${FEATURES}[:, d] + ${HEAD_BIAS}[c]`),
    ],
  );
  const { version } = mammoclrPackage();
  return {
    ir_version: ONNX_IR_VERSION,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    producer_name: 'mammoclr',
    producer_version: version,
    ...(e.docString ? { doc_string: e.docString } : {}),
    graph,
    metadata_props: Object.entries(e.metadata).map(([key, value]) => ({ key, value })),
  };
}
