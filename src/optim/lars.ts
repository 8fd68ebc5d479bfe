/**
 * LARS with classic momentum as google-research/simclr lars_optimizer.py, per parameter:
 * g += wd*w (unless excluded); trust = eeta*||w||/||g|| (1 when either norm is 0, or excluded);
 * v = m*v + lr*trust*g; w -= v (Nesterov: w -= m*v + lr*trust*g). The rate sits inside v,
 * unlike torch.optim.SGD: the two agree only while lr is constant.
 */
import { Tensor, F, noGrad, keep, tidy, zerosLike } from '../tensor/index.js';

/** Says whether a parameter is excluded (from weight decay, or from the trust ratio). */
export type Exclusion = (name: string, param: Tensor) => boolean;

/**
 * The default: 1-D parameters, i.e. BatchNorm gamma/beta and biases, which is what SimCLR's
 * name list selects, without depending on how a head names its layers.
 */
export const excludeOneDimensional: Exclusion = (_name, p) => p.ndim <= 1;

/**
 * SimCLR's substring list ['batch_normalization', 'bias', 'head_supervised'] in torchvision names:
 * 'bn' (bn1..bn3), 'bias', 'downsample.1' (the shortcut's BatchNorm). Add the supervised head's
 * name yourself (`excludeByName([...SIMCLR_EXCLUDED_NAMES, 'fc'])`).
 */
export const SIMCLR_EXCLUDED_NAMES: readonly string[] = ['bn', 'bias', 'downsample.1'];

/** Excludes names containing any of the substrings (SimCLR uses re.search with plain words). */
export function excludeByName(substrings: readonly string[] = SIMCLR_EXCLUDED_NAMES): Exclusion {
  return (name) => substrings.some((s) => name.includes(s));
}

export interface LarsConfig {
  lr: number;
  /** Default 0.9. */
  momentum?: number;
  /** Default 0; SimCLR uses 1e-6 (paper) or 1e-4 (v2 ImageNet). */
  weightDecay?: number;
  /** eeta, default 0.001 (EETA_DEFAULT). */
  trustCoefficient?: number;
  /** Default false. */
  nesterov?: boolean;
  /** A predicate or a substring list; default excludeOneDimensional. */
  excludeFromWeightDecay?: Exclusion | readonly string[];
  /** Defaults to excludeFromWeightDecay, as in SimCLR. */
  excludeFromAdaptation?: Exclusion | readonly string[];
}

interface Entry {
  readonly name: string;
  readonly param: Tensor;
  readonly decay: boolean;
  readonly adapt: boolean;
}

function asExclusion(e: Exclusion | readonly string[]): Exclusion {
  return typeof e === 'function' ? e : excludeByName(e);
}

/** LARS (google-research/simclr lars_optimizer.py): v = m*v + lr*eeta*||w||/||g + wd*w|| * (g + wd*w); w -= v. */
export class Lars {
  config: Required<Omit<LarsConfig, 'excludeFromWeightDecay' | 'excludeFromAdaptation'>>;
  readonly #entries: Entry[];
  readonly #byName = new Map<string, Entry>();
  readonly #buffers = new Map<string, Tensor>();

  /** Exclusions are decided here, once: build the optimiser after moving or converting the model. */
  constructor(namedParams: [string, Tensor][], c: LarsConfig) {
    const { excludeFromWeightDecay, excludeFromAdaptation, ...rest } = c;
    this.config = { momentum: 0.9, weightDecay: 0, trustCoefficient: 0.001, nesterov: false, ...rest };
    const noDecay = asExclusion(excludeFromWeightDecay ?? excludeOneDimensional);
    const noAdapt = excludeFromAdaptation === undefined ? noDecay : asExclusion(excludeFromAdaptation);
    this.#entries = namedParams.map(([name, param]) => {
      if (this.#byName.has(name)) throw new Error(`Lars: parameter name ${name} appears twice`);
      const e = { name, param, decay: !noDecay(name, param), adapt: !noAdapt(name, param) };
      this.#byName.set(name, e);
      return e;
    });
  }

  get params(): Tensor[] {
    return this.#entries.map((e) => e.param);
  }

  /** Which parameters get weight decay and the trust ratio (for logs and tests). */
  describe(): { name: string; weightDecay: boolean; adaptation: boolean }[] {
    return this.#entries.map((e) => ({ name: e.name, weightDecay: e.decay, adaptation: e.adapt }));
  }

  step(lr = this.config.lr): void {
    noGrad(() => {
      for (const e of this.#entries) tidy(() => this.#update(e, lr));
    });
  }

  #update(e: Entry, lr: number): void {
    const { momentum, weightDecay, nesterov } = this.config;
    const g = e.param.grad;
    if (!g) return;
    // Out of place: the caller's .grad stays the raw gradient.
    const d = e.decay && weightDecay !== 0 ? g.add(e.param, weightDecay) : g;
    let v = this.#buffers.get(e.name);
    if (!v) {
      // SimCLR's slot starts at zero, so the first step is v = lr*trust*g.
      v = keep(zerosLike(e.param));
      this.#buffers.set(e.name, v);
    }
    v.mul_(momentum);
    const trust = e.adapt ? this.#trust(e.param, d) : null;
    if (trust) v.addcmul_(d, trust, lr);
    else v.add_(d, lr);
    if (!nesterov) {
      e.param.sub_(v);
      return;
    }
    e.param.sub_(v, momentum);
    if (trust) e.param.addcmul_(d, trust, -lr);
    else e.param.sub_(d, lr);
  }

  /** eeta*||w||/||g|| as a 0-dim tensor, 1 where either norm is 0: stays on the engine, no read-back. */
  #trust(w: Tensor, g: Tensor): Tensor {
    const wn = w.norm();
    const gn = g.norm();
    const ok = wn.gt(0).logicalAnd(gn.gt(0));
    return F.where(ok, wn.mul(this.config.trustCoefficient).div(gn), 1);
  }

  zeroGrad(): void {
    for (const e of this.#entries) e.param.setGrad(null);
  }

  /**
   * Momentum buffers by parameter name, for checkpoints: the live tensors (do not dispose them;
   * clone for a snapshot). A parameter that never had a gradient has no entry (its buffer is zero).
   */
  state(): Map<string, Tensor> {
    return new Map(this.#buffers);
  }

  /**
   * Replaces all momentum buffers with copies of `state` (names as from state()); parameters
   * absent from it start again from zero. Checks every name and shape before changing anything.
   */
  loadState(state: Map<string, Tensor> | Record<string, Tensor>): void {
    const incoming = state instanceof Map ? state : new Map(Object.entries(state));
    for (const [name, t] of incoming) {
      const e = this.#byName.get(name);
      if (!e) throw new Error(`Lars.loadState: no parameter named ${name}`);
      const want = e.param.shape.join('x');
      const got = t.shape.join('x');
      if (want !== got) throw new Error(`Lars.loadState: ${name} has shape [${got}] in the state but [${want}] in the optimiser`);
    }
    noGrad(() => {
      const next = new Map<string, Tensor>();
      for (const [name, t] of incoming) {
        const v = keep(zerosLike(this.#byName.get(name)!.param));
        v.copy_(t);
        next.set(name, v);
      }
      this.#disposeBuffers();
      for (const [name, v] of next) this.#buffers.set(name, v);
    });
  }

  #disposeBuffers(): void {
    for (const b of this.#buffers.values()) if (!b.isDisposed) b.dispose();
    this.#buffers.clear();
  }

  dispose(): void {
    this.#disposeBuffers();
  }
}
