/** Tensors to and from safetensors files (the format PyTorch and Hugging Face exchange weights in). */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Tensor } from './tensor.js';
import { tensor } from './creation.js';
import { ELEMENT_SIZE, type DType } from './dtype.js';
import { readSafetensorsFile, writeSafetensorsFile, type SafeDtype, type SafeEntry } from './safetensors-format.js';
import { writing } from './write-error.js';

const TO_SAFE: Partial<Record<DType, SafeDtype>> = {
  float32: 'F32', float16: 'F16', bfloat16: 'BF16', float64: 'F64', int64: 'I64', int32: 'I32', int16: 'I16', int8: 'I8', uint8: 'U8', bool: 'BOOL',
};
const FROM_SAFE: Record<SafeDtype, DType> = {
  F32: 'float32', F16: 'float16', BF16: 'bfloat16', F64: 'float64', I64: 'int64', I32: 'int32', I16: 'int16', I8: 'int8', U8: 'uint8', BOOL: 'bool',
};

/** Writes tensors atomically (temporary file, then rename) with optional string metadata; a failure names `path`. */
export async function saveSafetensors(path: string, tensors: Map<string, Tensor> | Record<string, Tensor>, metadata?: Record<string, string>): Promise<void> {
  const entries: Record<string, SafeEntry> = {};
  for (const [name, t] of tensors instanceof Map ? tensors : Object.entries(tensors)) {
    const dtype = TO_SAFE[t.dtype];
    if (!dtype) throw new Error(`saveSafetensors: ${name} has dtype ${t.dtype}, which safetensors cannot hold`);
    const data = t.data();
    entries[name] = { dtype, shape: t.shape, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  }
  await writing(path, () => mkdir(dirname(path), { recursive: true }));
  await writeSafetensorsFile(path, entries, metadata);
}

/** Element views need their byte offset aligned to the element size; copy when it is not. */
function aligned(data: Uint8Array, dtype: DType): ArrayBufferView {
  const size = ELEMENT_SIZE[dtype];
  const bytes = data.byteOffset % size === 0 ? data : data.slice();
  const n = bytes.byteLength / size;
  switch (dtype) {
    case 'float32': return new Float32Array(bytes.buffer, bytes.byteOffset, n);
    case 'float64': return new Float64Array(bytes.buffer, bytes.byteOffset, n);
    case 'int64': return new BigInt64Array(bytes.buffer, bytes.byteOffset, n);
    case 'int32': return new Int32Array(bytes.buffer, bytes.byteOffset, n);
    case 'int16': return new Int16Array(bytes.buffer, bytes.byteOffset, n);
    case 'int8': return new Int8Array(bytes.buffer, bytes.byteOffset, n);
    case 'float16':
    case 'bfloat16': return new Uint16Array(bytes.buffer, bytes.byteOffset, n);
    case 'uint8':
    case 'bool': return bytes;
  }
}

export interface LoadedSafetensors {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

/** Reads every tensor of a safetensors file (the caller owns and disposes them). */
export async function loadSafetensors(path: string): Promise<LoadedSafetensors> {
  const file = await readSafetensorsFile(path);
  const tensors = new Map<string, Tensor>();
  for (const [name, e] of Object.entries(file.entries)) {
    const dtype = FROM_SAFE[e.dtype];
    const view = aligned(e.data, dtype);
    if (dtype === 'bool' || dtype === 'uint8') {
      const u8 = tensor(view as Uint8Array, e.shape);
      if (dtype === 'bool') {
        tensors.set(name, u8.ne(0));
        u8.dispose();
      } else tensors.set(name, u8);
    } else {
      tensors.set(name, tensor(view as never, e.shape, { dtype }));
    }
  }
  return { tensors, metadata: file.metadata };
}
