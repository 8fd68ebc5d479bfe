/** Shared by the export tests: seeded models with non-trivial BatchNorm statistics, and onnxruntime. */
import ort from 'onnxruntime-node';
import { Generator, noGrad, rand, tidy, type Tensor } from '../../src/tensor/index.js';
import { ResNet, type ResNetDepth, type Stem } from '../../src/nn/resnet.js';

/** x -> lo + (hi - lo) x in place, from a uniform draw of the generator. */
function uniform_(t: Tensor, lo: number, hi: number, g: Generator): void {
  tidy(() => {
    t.copy_(rand(t.shape, { generator: g }).mul(hi - lo).add(lo));
  });
}

/**
 * A seeded ResNet whose every BatchNorm has random gamma, beta, running mean and variance, so
 * that an export that dropped or misfolded one would change the outputs: with the defaults
 * (gamma 1, beta 0, mean 0, var 1) BatchNorm is nearly the identity and folding it proves little.
 */
export function seededResNet(depth: ResNetDepth, stem: Stem, inChannels: 1 | 3, seed: number, width = 8): ResNet {
  const g = Generator.seeded(seed);
  const encoder = new ResNet({ depth, stem, inChannels, width, generator: g });
  noGrad(() => {
    for (const [name, t] of encoder.stateDict()) {
      if (name.endsWith('running_mean')) uniform_(t, -0.2, 0.2, g);
      else if (name.endsWith('running_var')) uniform_(t, 0.5, 2, g);
      // 1-D weights and biases are BatchNorm's (convolution weights are 4-D, without bias).
      else if (t.ndim === 1 && name.endsWith('.weight')) uniform_(t, 0.5, 1.5, g);
      else if (t.ndim === 1 && name.endsWith('.bias')) uniform_(t, -0.2, 0.2, g);
    }
  });
  return encoder.eval();
}

export interface OnnxOutputs {
  probabilities: Float32Array;
  features: Float32Array;
  featureDims: number[];
}

/** Runs the model's bytes on one thread on the input [N, C, S, S]. */
export async function runOnnx(model: Uint8Array, input: Float32Array, dims: number[]): Promise<OnnxOutputs> {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const r = await session.run({ input: new ort.Tensor('float32', input, dims) });
    return {
      probabilities: r['probabilities']!.data as Float32Array,
      features: r['features']!.data as Float32Array,
      featureDims: [...r['features']!.dims],
    };
  } finally {
    await session.release();
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}
