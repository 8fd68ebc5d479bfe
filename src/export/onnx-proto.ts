/**
 * ONNX files as protobuf, through protobufjs and ONNX's own schema (onnx.proto beside this file,
 * shipped with the package): the messages are checked against the schema when written, and a
 * written file decodes back with the same schema. Field names are the schema's (snake_case).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { mammoclrPackage } from './package-info.js';

/** IR version 8 is ONNX 1.12's, the first release whose operator set 17 this exporter targets. */
export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT64: 7 } as const;
/** AttributeProto.AttributeType values used here. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 } as const;

export interface TensorMessage {
  name: string;
  dims: number[];
  data_type: number;
  /** Little-endian element bytes. */
  raw_data: Uint8Array;
}

export interface AttributeMessage {
  name: string;
  type: number;
  i?: number;
  f?: number;
  s?: Uint8Array;
  ints?: number[];
}

export interface NodeMessage {
  name: string;
  op_type: string;
  input: string[];
  output: string[];
  attribute: AttributeMessage[];
  doc_string?: string;
}

export interface DimensionMessage {
  dim_value?: number;
  dim_param?: string;
}

export interface ValueInfoMessage {
  name: string;
  doc_string?: string;
  type: { tensor_type: { elem_type: number; shape: { dim: DimensionMessage[] } } };
}

export interface GraphMessage {
  name: string;
  node: NodeMessage[];
  initializer: TensorMessage[];
  input: ValueInfoMessage[];
  output: ValueInfoMessage[];
  doc_string?: string;
}

export interface ModelMessage {
  ir_version: number;
  opset_import: { domain: string; version: number }[];
  producer_name: string;
  producer_version: string;
  doc_string?: string;
  graph: GraphMessage;
  metadata_props: { key: string; value: string }[];
}

let modelType: protobuf.Type | undefined;

/** onnx.ModelProto from the committed schema, parsed once. */
export function modelProtoType(): protobuf.Type {
  if (modelType) return modelType;
  const path = join(mammoclrPackage().root, 'src', 'export', 'onnx.proto');
  const { root } = protobuf.parse(readFileSync(path, 'utf8'), { keepCase: true });
  return (modelType = root.lookupType('onnx.ModelProto'));
}

/** The model as .onnx bytes; throws if a field does not fit the schema. */
export function encodeModel(model: ModelMessage): Uint8Array {
  const type = modelProtoType();
  // Verified as given: fromObject would coerce a wrong value (a string for an int64) silently.
  const problem = type.verify(model);
  if (problem) throw new Error(`ONNX model does not fit onnx.proto: ${problem}`);
  return type.encode(type.fromObject(model)).finish();
}

/** .onnx bytes as plain objects (int64 as numbers, bytes as Uint8Array, absent fields left out). */
export function decodeModel(bytes: Uint8Array): ModelMessage {
  const type = modelProtoType();
  return type.toObject(type.decode(bytes), { longs: Number, arrays: true }) as ModelMessage;
}
