/** Writes an ONNX model atomically (never a half-written .onnx beside a good one). */
import { writeFileAtomic } from '../io/atomic.js';
import { encodeModel, type ModelMessage } from './onnx-proto.js';

/** Encodes and writes the model; returns its size in bytes. */
export async function writeOnnxModel(path: string, model: ModelMessage): Promise<number> {
  const bytes = encodeModel(model);
  await writeFileAtomic(path, bytes);
  return bytes.length;
}
