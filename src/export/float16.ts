/**
 * A model whose convolution weights (the 4-D float32 initializers, nearly all of the bytes) are stored as float16 and cast back to float32 by a
 * Cast node in front of the graph: half the file size (a full-width ResNet-18 falls from about
 * 45 MB to 22 MB) for a model that still computes in float32, so it runs wherever float32 runs
 * (onnxruntime-web's WASM backend has no float16 kernels for Conv; it folds the Casts at load).
 * The weights are rounded to nearest-even once; the arithmetic is unchanged.
 */
import { toHalfBits } from '../data/cache/float16.js';
import { AttributeType, DataType, type ModelMessage, type NodeMessage, type TensorMessage } from './onnx-proto.js';

export const FLOAT16 = 10;

function toFloat16(t: TensorMessage, name: string): TensorMessage {
  const n = t.raw_data.byteLength / 4;
  const src = new DataView(t.raw_data.buffer, t.raw_data.byteOffset, t.raw_data.byteLength);
  const bytes = new Uint8Array(n * 2);
  const out = new DataView(bytes.buffer);
  for (let i = 0; i < n; i++) out.setUint16(i * 2, toHalfBits(src.getFloat32(i * 4, true)), true);
  return { name, dims: t.dims, data_type: FLOAT16, raw_data: bytes };
}

/**
 * A copy of `model` with its convolution weights in float16. Biases and the head stay float32:
 * they weigh nothing, and the head's weights are read back for class activation maps.
 */
export function withFloat16Weights(model: ModelMessage): ModelMessage {
  const initializer: TensorMessage[] = [];
  const casts: NodeMessage[] = [];
  for (const t of model.graph.initializer) {
    const count = t.dims.reduce((a, b) => a * b, 1);
    if (t.data_type !== DataType.FLOAT || t.dims.length !== 4) {
      initializer.push(t);
      continue;
    }
    if (t.raw_data.byteLength !== count * 4) throw new Error(`ONNX initializer ${t.name}: ${t.raw_data.byteLength} bytes for ${count} float32 values`);
    // The float16 copy takes a new name; the Cast's output takes the old one, so no node changes.
    const half = `${t.name}.float16`;
    initializer.push(toFloat16(t, half));
    casts.push({ name: `Cast_${t.name}`, op_type: 'Cast', input: [half], output: [t.name], attribute: [{ name: 'to', type: AttributeType.INT, i: DataType.FLOAT }] });
  }
  return { ...model, graph: { ...model.graph, initializer, node: [...casts, ...model.graph.node] } };
}
