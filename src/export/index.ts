/** ONNX export of an encoder and its linear head, written through protobufjs and ONNX's schema. */
export { classifierModel, INPUT, PROBABILITIES, FEATURES, HEAD_WEIGHT, HEAD_BIAS, type ClassifierExport } from './classifier-model.js';
export { foldBatchNorm, foldStandardisation, type StandardisedLinearHead, type BatchNormStats, type ConvWeights } from './fold.js';
export { encodeModel, decodeModel, ONNX_IR_VERSION, ONNX_OPSET, type ModelMessage } from './onnx-proto.js';
export { linearClassifierHead } from './linear-head.js';
export { writeOnnxModel } from './write.js';
export { withFloat16Weights, FLOAT16 } from './float16.js';
export { mammoclrPackage } from './package-info.js';
