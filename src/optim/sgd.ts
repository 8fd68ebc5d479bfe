/**
 * SGD with momentum as torch.optim.SGD (dampening 0): g = grad + wd * p; buf = m * buf + g
 * (buf = g on the first step); p -= lr * (nesterov ? g + m * buf : buf).
 */
import { Tensor, noGrad, keep } from '../tensor/index.js';

export interface SgdConfig {
  lr: number;
  momentum?: number;
  weightDecay?: number;
  nesterov?: boolean;
}

export class Sgd {
  readonly params: Tensor[];
  config: Required<SgdConfig>;
  readonly #buffers = new Map<Tensor, Tensor>();

  constructor(params: Tensor[], c: SgdConfig) {
    this.params = params;
    this.config = { momentum: 0, weightDecay: 0, nesterov: false, ...c };
  }

  step(lr = this.config.lr): void {
    const { momentum, weightDecay, nesterov } = this.config;
    noGrad(() => {
      for (const p of this.params) {
        const grad = p.grad;
        if (!grad) continue;
        // Decay out of place: .grad stays what backward produced, as in torch.optim.SGD.
        const g = weightDecay !== 0 ? grad.add(p, weightDecay) : grad;
        if (momentum === 0) {
          p.sub_(g, lr);
          if (g !== grad) g.dispose();
          continue;
        }
        let buf = this.#buffers.get(p);
        if (!buf) {
          // Under noGrad the clone carries no autograd history.
          buf = keep(g.clone('preserve'));
          this.#buffers.set(p, buf);
        } else {
          buf.mul_(momentum).add_(g);
        }
        if (nesterov) {
          const d = g.add(buf, momentum);
          p.sub_(d, lr);
          d.dispose();
        } else {
          p.sub_(buf, lr);
        }
        if (g !== grad) g.dispose();
      }
    });
  }

  zeroGrad(): void {
    for (const p of this.params) p.setGrad(null);
  }

  /** Momentum buffers keyed by parameter index (the live tensors), for checkpoints. */
  state(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    this.params.forEach((p, i) => {
      const b = this.#buffers.get(p);
      if (b) out.set(String(i), b);
    });
    return out;
  }

  /** Replaces the momentum buffers with copies of a saved state (same parameter order and shapes). */
  loadState(state: Map<string, Tensor>): void {
    for (const [k, t] of state) {
      const p = this.params[Number(k)];
      if (!p || p.shape.join('x') !== t.shape.join('x')) throw new Error(`Sgd.loadState: entry ${k} does not match a parameter of shape [${t.shape.join(', ')}]`);
    }
    this.dispose();
    noGrad(() => {
      for (const [k, t] of state) this.#buffers.set(this.params[Number(k)]!, keep(t.clone('preserve')));
    });
  }

  dispose(): void {
    for (const b of this.#buffers.values()) b.dispose();
    this.#buffers.clear();
  }
}
