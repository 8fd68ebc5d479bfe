/** Shared bits for the cache tests. */
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../../../src/data/rng.js';
import { encodeMetadata, PREPARED_FORMAT, type PreparedMeta, type PreparedRecord } from '../../../src/data/cache/format.js';
import { fromHalfBits, toHalfBits } from '../../../src/data/cache/float16.js';
import { writeSafetensorsFile } from '../../../src/tensor/safetensors-format.js';

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `mammoclr-${prefix}-`));
}

/** Leftover temporary files of an atomic write (".name.pid.rand.tmp"). */
export async function tempFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.tmp'));
}

/**
 * A prepared-format file of `count` random float16 images [count, 1, size, size] in [0, 1],
 * written with the safetensors writer, without preparing anything. Returns the float32 values.
 */
export async function writeRandomPrepared(path: string, count: number, size: number, seed = 1): Promise<Float32Array> {
  const rng = createRng(seed);
  const half = new Uint16Array(count * size * size);
  for (let i = 0; i < half.length; i++) half[i] = toHalfBits(rng.next());
  const meta = { format: PREPARED_FORMAT, name: 'random', size, sizes: [size], count, dtype: 'float16', layout: 'NCHW', labels: {}, patients: count } as unknown as PreparedMeta;
  const records = Array.from({ length: count }, (_, i) => ({ id: `r${i}`, patientId: `p${i}`, label: 'normal', dataset: 'random', lesions: [] }) as unknown as PreparedRecord);
  await writeSafetensorsFile(path, { images: { dtype: 'F16', shape: [count, 1, size, size], data: new Uint8Array(half.buffer) } }, encodeMetadata(meta, records));
  return Float32Array.from(half, fromHalfBits);
}
