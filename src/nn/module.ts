/**
 * Module: parameters, buffers and children under PyTorch's dotted names, so a state dict
 * round-trips with torchvision (`layer1.0.conv1.weight`, `bn1.running_mean`, ...).
 */
import { Tensor, keep, noGrad, type DType, type MemoryFormat } from '../tensor/index.js';

export abstract class Module {
  training = true;
  readonly #parameters = new Map<string, Tensor>();
  readonly #buffers = new Map<string, Tensor>();
  readonly #children = new Map<string, Module>();

  protected registerParameter(name: string, t: Tensor): Tensor {
    keep(t);
    if (!t.requiresGrad) t.requiresGrad_(true);
    this.#parameters.set(name, t);
    return t;
  }

  protected registerBuffer(name: string, t: Tensor): Tensor {
    keep(t);
    this.#buffers.set(name, t);
    return t;
  }

  protected registerModule<M extends Module>(name: string, m: M): M {
    this.#children.set(name, m);
    return m;
  }

  /** The tensor currently registered under a local name (replacements keep the name). */
  protected param(name: string): Tensor {
    const t = this.#parameters.get(name);
    if (!t) throw new Error(`${this.constructor.name} has no parameter ${name}`);
    return t;
  }

  protected buffer(name: string): Tensor {
    const t = this.#buffers.get(name);
    if (!t) throw new Error(`${this.constructor.name} has no buffer ${name}`);
    return t;
  }

  protected hasParameter(name: string): boolean {
    return this.#parameters.has(name);
  }

  children(): [string, Module][] {
    return [...this.#children];
  }

  namedParameters(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [n, t] of this.#parameters) out.push([prefix + n, t]);
    for (const [n, m] of this.#children) out.push(...m.namedParameters(`${prefix}${n}.`));
    return out;
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  namedBuffers(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [n, t] of this.#buffers) out.push([prefix + n, t]);
    for (const [n, m] of this.#children) out.push(...m.namedBuffers(`${prefix}${n}.`));
    return out;
  }

  /** Parameters and buffers by name (the live tensors, not copies). */
  stateDict(): Map<string, Tensor> {
    return new Map([...this.namedParameters(), ...this.namedBuffers()]);
  }

  /**
   * Copies tensors into this module's parameters and buffers by name. Strict mode requires the
   * same names and shapes in both directions; the error lists what is missing or unexpected.
   */
  loadStateDict(state: Map<string, Tensor> | Record<string, Tensor>, strict = true): void {
    const incoming = state instanceof Map ? state : new Map(Object.entries(state));
    const own = this.stateDict();
    const missing = [...own.keys()].filter((k) => !incoming.has(k));
    const unexpected = [...incoming.keys()].filter((k) => !own.has(k));
    if (strict && (missing.length || unexpected.length)) {
      throw new Error(`loadStateDict: missing keys [${missing.join(', ')}], unexpected keys [${unexpected.join(', ')}]`);
    }
    noGrad(() => {
      for (const [name, target] of own) {
        const src = incoming.get(name);
        if (!src) continue;
        const a = target.shape.join('x');
        const b = src.shape.join('x');
        if (a !== b) throw new Error(`loadStateDict: ${name} has shape [${b}] in the state but [${a}] in the model`);
        if (src.dtype === target.dtype) target.copy_(src);
        else {
          const cast = src.to(target.dtype);
          target.copy_(cast);
          cast.dispose();
        }
      }
    });
  }

  train(on = true): this {
    this.training = on;
    for (const [, m] of this.#children) m.train(on);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Replaces every parameter and buffer with a converted copy (dtype, device or memory format). */
  to(o: { dtype?: DType; device?: 'cpu' | 'cuda' | `cuda:${number}`; memoryFormat?: MemoryFormat }): this {
    noGrad(() => {
      const convert = (map: Map<string, Tensor>, isParam: boolean) => {
        for (const [name, t] of map) {
          const floating = t.dtype === 'float32' || t.dtype === 'float64' || t.dtype === 'float16' || t.dtype === 'bfloat16';
          let next = t.to({ device: o.device, dtype: floating ? o.dtype : undefined, copy: true });
          if (o.memoryFormat && next.ndim === 4) {
            const f = next.contiguous(o.memoryFormat);
            next.dispose();
            next = f;
          }
          keep(next);
          if (isParam) next.requiresGrad_(true);
          map.set(name, next);
          t.dispose();
        }
      };
      convert(this.#parameters, true);
      convert(this.#buffers, false);
    });
    for (const [, m] of this.#children) m.to(o);
    return this;
  }

  /** Clears every parameter's gradient (set to none). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.setGrad(null);
  }

  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.numel, 0);
  }

  /** Frees every parameter and buffer. */
  dispose(): void {
    for (const [, t] of [...this.#parameters, ...this.#buffers]) if (!t.isDisposed) t.dispose();
    for (const [, m] of this.#children) m.dispose();
  }
}
