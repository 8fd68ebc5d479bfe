/**
 * Exact t-SNE on the engine (dense N x N tensors, matmul), for embedding encoder features in
 * 2-D. Conventions follow scikit-learn's TSNE (method='exact'): PCA to 50 dimensions first,
 * Gaussian affinities by binary search on the perplexity over squared distances, symmetrised
 * P = (P_j|i + P_i|j) / 2N, Student-t Q, early exaggeration 12 for 250 iterations with momentum
 * 0.5, then momentum 0.8, delta-bar-delta gains (+0.2 / x0.8, min 0.01), learning rate 'auto' =
 * max(N / 12 / 4, 50). Exact costs O(N^2) memory and time per iteration. Measured on the
 * shared 2-core dev machine (load 5-9, 1 engine thread, 64-D input): 300 points x 500 iterations
 * 1.5 s; 1000 x 1000 8-24 s; 3000 points: affinities about 45 s plus 0.8 s per iteration, so
 * 1000 iterations take over 10 minutes. Use it for N <= ~1000; a few thousand points need
 * Barnes-Hut (not implemented yet).
 */
import { Tensor, Generator, tensor, randn, eye, tidy, keep, noGrad, aten } from '../tensor/index.js';

export interface TsneOptions {
  /** Effective number of neighbours. Default 30. */
  perplexity?: number;
  /** Total gradient steps (exaggeration phase included). Default 1000. */
  iterations?: number;
  earlyExaggeration?: number;
  /** Steps with exaggerated P and momentum 0.5. Default 250. */
  exaggerationIterations?: number;
  /** 'auto' (default) = max(N / earlyExaggeration / 4, 50), as scikit-learn >= 1.2; or a number (200 classic). */
  learningRate?: 'auto' | number;
  /** PCA to this many dimensions first when the data have more. Default 50; 0 skips PCA. */
  pcaDims?: number;
  /** 'pca' (default, scikit-learn >= 1.2): the first two principal components scaled to std 1e-4; 'random': N(0, 1e-4^2) from the seed. */
  init?: 'pca' | 'random';
  seed?: number;
  /** Record the KL divergence every this many iterations. Default 50. */
  klEvery?: number;
}

export interface TsneResult {
  /** Row-major [N, 2]. */
  embedding: Float32Array;
  n: number;
  /** KL(P || Q) with the unexaggerated P, at the recorded iterations (and the last). */
  kl: { iteration: number; kl: number }[];
  learningRate: number;
  seconds: number;
}

const MACHINE_EPSILON = 2.220446049250313e-16;

/** Squared Euclidean distances [N, N] of the rows of x. */
function squaredDistances(x: Tensor): Tensor {
  return tidy(() => {
    const sq = x.square().sum(1, true);
    return aten.addmm(sq.add(sq.t()), x, x.t(), 1, -2).clampMin(0);
  });
}

// PCA: eigenvectors of the covariance X_c^T X_c / (N-1), largest first, sign fixed so the
// largest-magnitude loading of each component is positive (so the result is reproducible).
export function pca(x: Tensor, k: number): Tensor {
  return tidy(() => {
    const xc = x.sub(x.mean(0, true));
    const cov = xc.t().mm(xc).div(Math.max(1, x.size(0) - 1));
    const vecs = aten.linalg_eigh(cov, 'L').eigenvectors;
    const d = cov.size(0);
    const top = vecs.narrow(1, d - k, k).flip(1); // [D, k], largest eigenvalue first
    const idx = top.abs().argmax(0, true);
    const sign = top.gather(0, idx).sign();
    return xc.mm(top.mul(sign));
  });
}

// Binary search for beta_i = 1/(2 sigma_i^2) so that H(P_i) = log(perplexity) (natural log),
// P_j|i = exp(-d_ij beta_i) / sum_k exp(-d_ik beta_i); vectorised over rows (scikit-learn's
// _binary_search_perplexity, 100 steps, tolerance 1e-5). Distances are shifted by the row minimum
// first, which leaves P and H unchanged but avoids underflow.
function conditionalP(d2: Tensor, perplexity: number): Tensor {
  return tidy(() => {
    const n = d2.size(0);
    const offDiag = eye(n, { dtype: 'float64' }).mul(-1).add(1);
    const big = eye(n, { dtype: 'float64' }).mul(1e300);
    const dmin = d2.add(big).minDim(1, true).values;
    const d = d2.sub(dmin).mul(offDiag);
    const target = Math.log(perplexity);
    const beta = new Float64Array(n).fill(1);
    const lo = new Float64Array(n).fill(-Infinity);
    const hi = new Float64Array(n).fill(Infinity);
    const done = new Uint8Array(n);
    const evaluate = (b: Float64Array): { p: Tensor; h: Float64Array } => {
      const bt = tensor(b, [n, 1]);
      const p = d.mul(bt).neg().exp().mul(offDiag);
      const sum = p.sum(1, true).clampMin(MACHINE_EPSILON);
      const h = sum.log().add(d.mul(p).sum(1, true).div(sum).mul(bt));
      return { p: p.div(sum), h: h.data() as Float64Array };
    };
    for (let step = 0; step < 100; step++) {
      const r = tidy(() => evaluate(beta).h);
      let open = 0;
      for (let i = 0; i < n; i++) {
        if (done[i]) continue;
        const diff = r[i]! - target;
        if (Math.abs(diff) <= 1e-5) {
          done[i] = 1;
          continue;
        }
        open++;
        if (diff > 0) {
          lo[i] = beta[i]!;
          beta[i] = hi[i] === Infinity ? beta[i]! * 2 : (beta[i]! + hi[i]!) / 2;
        } else {
          hi[i] = beta[i]!;
          beta[i] = lo[i] === -Infinity ? beta[i]! / 2 : (beta[i]! + lo[i]!) / 2;
        }
      }
      if (open === 0) break;
    }
    return evaluate(beta).p;
  });
}

/** Joint probabilities P = max((P_j|i + P_i|j) / sum, eps), float32 [N, N]. */
export function jointProbabilities(x: Tensor, perplexity: number): Tensor {
  return tidy(() => {
    const c = conditionalP(squaredDistances(x.to('float64')), perplexity);
    const p = c.add(c.t());
    return p.div(p.sum().clampMin(MACHINE_EPSILON)).clampMin(MACHINE_EPSILON).to('float32');
  });
}

/** KL(P || Q) for an embedding y [N, 2]. */
function klDivergence(p: Tensor, y: Tensor): number {
  return tidy(() => {
    const n = y.size(0);
    const num = squaredDistances(y).add(1).reciprocal();
    const z = num.sum().item() - n; // the diagonal holds 1/(1+0) = 1 per point
    const q = num.div(z).clampMin(MACHINE_EPSILON);
    return p.mul(p.div(q).log()).sum().item() - p.diagonal().mul(p.diagonal().div(q.diagonal()).log()).sum().item();
  });
}

// t-SNE (van der Maaten & Hinton 2008): C = KL(P||Q), q_ij = (1+|y_i-y_j|^2)^-1 / Z,
// dC/dy_i = 4 sum_j (p_ij - q_ij)(1+|y_i-y_j|^2)^-1 (y_i - y_j).
export function tsne(data: ArrayLike<number>, n: number, dim: number, o: TsneOptions = {}): TsneResult {
  const t0 = performance.now();
  if (data.length !== n * dim) throw new Error(`t-SNE: ${data.length} values do not make ${n} x ${dim}`);
  const perplexity = o.perplexity ?? 30;
  if (n - 1 < 3 * perplexity) throw new Error(`t-SNE: perplexity ${perplexity} needs more than 3 * perplexity = ${3 * perplexity} points, got ${n}`);
  const iterations = o.iterations ?? 1000;
  const exaggeration = o.earlyExaggeration ?? 12;
  const exIters = Math.min(iterations, o.exaggerationIterations ?? 250);
  const lr = o.learningRate === undefined || o.learningRate === 'auto' ? Math.max(n / exaggeration / 4, 50) : o.learningRate;
  const klEvery = o.klEvery ?? 50;
  const kl: { iteration: number; kl: number }[] = [];
  const embedding = noGrad(() => tidy(() => {
    let x = tensor(Float64Array.from(data), [n, dim]);
    const pcaDims = o.pcaDims ?? 50;
    const reduced = pcaDims > 0 && dim > pcaDims ? pca(x, pcaDims) : x.sub(x.mean(0, true));
    x = reduced;
    const p = jointProbabilities(x, perplexity);
    let y: Tensor;
    if ((o.init ?? 'pca') === 'pca') {
      const pc = dim > 2 ? pca(x, 2) : x.clone();
      y = pc.div(pc.select(1, 0).std().item()).mul(1e-4).to('float32');
    } else {
      y = randn([n, 2], { generator: Generator.seeded(o.seed ?? 0), dtype: 'float64' }).mul(1e-4).to('float32');
    }
    keep(y);
    const pEx = p.mul(exaggeration);
    const update = keep(tensor(new Float32Array(n * 2), [n, 2]));
    const gains = keep(tensor(new Float32Array(n * 2).fill(1), [n, 2]));
    try {
      for (let it = 0; it < iterations; it++) {
        const exploring = it < exIters;
        if (it === exIters) {
          // scikit-learn runs the two phases as two optimiser calls: update and gains restart.
          update.zero_();
          gains.fill_(1);
        }
        tidy(() => {
          const num = squaredDistances(y).add(1).reciprocal();
          const z = num.sum().item() - n;
          // W_ij = (p_ij - q_ij) num_ij; the diagonal cancels in rowsum(W) y_i - (W y)_i.
          const w = (exploring ? pEx : p).sub(num.div(z)).mul(num);
          const grad = w.sum(1, true).mul(y).sub(w.mm(y)).mul(4);
          // Delta-bar-delta: grow the gain where the gradient flips sign against the last update.
          const inc = update.mul(grad).lt(0);
          const g = inc.float().mul(0.2).add(gains).mul(inc.logicalNot().float().mul(-0.2).add(1)).clampMin(0.01);
          gains.copy_(g);
          update.mul_(exploring ? 0.5 : 0.8).sub_(grad.mul(g), lr);
          y.add_(update);
        });
        if ((it + 1) % klEvery === 0 || it === iterations - 1) kl.push({ iteration: it + 1, kl: klDivergence(p, y) });
      }
      return y.toFloat32Array();
    } finally {
      y.dispose();
      update.dispose();
      gains.dispose();
    }
  }));
  return { embedding, n, kl, learningRate: lr, seconds: (performance.now() - t0) / 1000 };
}
