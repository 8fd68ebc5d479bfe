/**
 * Inference-time algebra that removes operators from the exported graph: an eval-mode BatchNorm
 * is an affine map per channel, and so is the feature standardisation of a linear head, so both
 * are folded into the weights before them. Sums and products are formed in float64 and rounded
 * once to float32, so folding adds one rounding per weight and nothing more.
 */

export interface ConvWeights {
  /** [out, in / groups, kh, kw], row-major. */
  weight: Float32Array;
  outChannels: number;
  bias: Float32Array | null;
}

/** An eval-mode BatchNorm: y = (x - mean) / sqrt(var + eps) * gamma + beta (gamma 1, beta 0 when absent). */
export interface BatchNormStats {
  gamma: Float32Array | null;
  beta: Float32Array | null;
  mean: Float32Array;
  variance: Float32Array;
  eps: number;
}

/** BN(conv(x)) as one convolution: W'[o] = W[o] s_o, b'_o = (b_o - mean_o) s_o + beta_o, s_o = gamma_o / sqrt(var_o + eps). */
export function foldBatchNorm(conv: ConvWeights, bn: BatchNormStats): { weight: Float32Array; bias: Float32Array } {
  const out = conv.outChannels;
  if (bn.mean.length !== out || bn.variance.length !== out) throw new Error(`BatchNorm of ${bn.mean.length} channels after a convolution with ${out}`);
  const perOut = conv.weight.length / out;
  const weight = new Float32Array(conv.weight.length);
  const bias = new Float32Array(out);
  for (let o = 0; o < out; o++) {
    const s = (bn.gamma ? bn.gamma[o]! : 1) / Math.sqrt(bn.variance[o]! + bn.eps);
    for (let j = o * perOut; j < (o + 1) * perOut; j++) weight[j] = conv.weight[j]! * s;
    bias[o] = ((conv.bias ? conv.bias[o]! : 0) - bn.mean[o]!) * s + (bn.beta ? bn.beta[o]! : 0);
  }
  return { weight, bias };
}

/**
 * A linear head on standardised pooled features: logits = W ((h - mean) / std) + b, with W
 * classes x dims row-major. mammoclr's LinearClassifier and the detection work's logistic probe
 * are both of this form.
 */
export interface StandardisedLinearHead {
  classes: number;
  dims: number;
  weight: ArrayLike<number>;
  bias: ArrayLike<number>;
  mean: ArrayLike<number>;
  std: ArrayLike<number>;
}

/** The head as one affine map on raw features: W'[c, j] = W[c, j] / std_j, b'_c = b_c - sum_j W'[c, j] mean_j. */
export function foldStandardisation(h: StandardisedLinearHead): { weight: Float32Array; bias: Float32Array } {
  const { classes, dims } = h;
  if (h.weight.length !== classes * dims || h.bias.length !== classes || h.mean.length !== dims || h.std.length !== dims) {
    throw new Error(`linear head: expected ${classes} x ${dims} weights, ${classes} biases and ${dims} means and stds`);
  }
  const weight = new Float32Array(classes * dims);
  const bias = new Float32Array(classes);
  for (let c = 0; c < classes; c++) {
    let b = h.bias[c]!;
    for (let j = 0; j < dims; j++) {
      const w = h.weight[c * dims + j]! / h.std[j]!;
      weight[c * dims + j] = w;
      b -= w * h.mean[j]!;
    }
    bias[c] = b;
  }
  return { weight, bias };
}
