/**
 * NT-Xent, SimCLR's contrastive loss (Chen et al. 2020, Eq. 2-3).
 */
import { Tensor, F, autocast, eye, noGrad, tensor, tidy, type Device } from '../tensor/index.js';

export interface NtXentOptions {
  /** tau, default 0.5 (SimCLR's CIFAR recipe and lightly's default; SimCLR's flag default is 0.1). */
  temperature?: number;
}

export interface NtXentResult {
  /** Scalar loss for backward: the paper's L, a mean over the 2N anchors. */
  loss: Tensor;
  /** Fraction of anchors whose positive has the highest logit among the 2N-1 candidates (argmax; ties go to the lower index). */
  accuracy: number;
  /** Mean entropy (nats) of the softmax over each anchor's 2N-1 candidates; ln(2N-1) at most. */
  entropy: number;
}

/** SimCLR's LARGE_NUM: the self-similarity logit becomes -1e9, which softmax turns into exactly 0. */
const LARGE_NUM = 1e9;

/**
 * l(i,j) = -log( exp(sim(z_i,z_j)/tau) / sum_{k != i} exp(sim(z_i,z_k)/tau) ), L = mean over all 2N anchors,
 * sim = cosine (Chen et al. 2020 Eq. 1-3). z1, z2: [N, D], row i of z1 and row i of z2 are two views of one image.
 * SimCLR's code (objective.py add_contrastive_loss) reports loss_a + loss_b = 2 L; lightly's NTXentLoss reports L.
 */
export function ntXent(z1: Tensor, z2: Tensor, o: NtXentOptions = {}): NtXentResult {
  const tau = o.temperature ?? 0.5;
  if (!(tau > 0) || !Number.isFinite(tau)) throw new Error(`ntXent: temperature must be a positive finite number, got ${tau}`);
  if (z1.ndim !== 2 || z2.ndim !== 2) throw new Error(`ntXent: z1 and z2 must be [N, D], got [${z1.shape.join(', ')}] and [${z2.shape.join(', ')}]`);
  const [n, dim] = z1.shape as [number, number];
  if (z2.size(0) !== n || z2.size(1) !== dim) throw new Error(`ntXent: z1 [${z1.shape.join(', ')}] and z2 [${z2.shape.join(', ')}] differ in shape`);
  if (n < 2) throw new Error(`ntXent: needs N >= 2 pairs (an anchor needs negatives), got N = ${n}`);

  return tidy(() => {
    // Similarities in float32 (float64 stays float64): under bf16 autocast mm would run in bf16,
    // and logits in [-1/tau, 1/tau] with 8 significant bits blur the softmax. Autocast is off here
    // on the tensors' device; the backward then runs in the same precision.
    const device = z1.device as Device;
    // Anchor i's positive is its other view: i + N for the first block, i - N for the second.
    const target = tensor(Array.from({ length: 2 * n }, (_, i) => (i + n) % (2 * n)), { dtype: 'int64', device });
    return autocast({ device: device.startsWith('cuda') ? 'cuda' : 'cpu', enabled: false }, () => {
      const z = F.cat([z1, z2], 0);
      const zf = z.dtype === 'float64' ? z : z.to('float32');
      const h = F.normalize(zf, 1);
      const sim = h.mm(h.t()).div(tau);
      const self = eye(2 * n, { dtype: 'bool', device });
      const logits = sim.maskedFill(self, -LARGE_NUM);
      const loss = F.crossEntropy(logits, target);
      const { accuracy, entropy } = noGrad(() => {
        const hit = logits.argmax(1).eq(target).to('float64').mean().item();
        const logp = logits.logSoftmax(1);
        const ent = logp.exp().mul(logp).sum(1).mean().neg().item();
        return { accuracy: hit, entropy: ent };
      });
      return { loss, accuracy, entropy };
    });
  });
}
