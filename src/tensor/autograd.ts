/** Gradient mode scopes and gradients of chosen outputs with respect to chosen inputs. */
import { native } from './native.js';
import { Tensor } from './tensor.js';

function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const previous = native.setGradEnabled(enabled);
  try {
    const r = fn();
    if (r instanceof Promise) throw new Error('noGrad()/enableGrad() take a synchronous function');
    return r;
  } finally {
    native.setGradEnabled(previous);
  }
}

/** Runs fn without recording the autograd graph (torch.no_grad). */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

export function isGradEnabled(): boolean {
  return native.isGradEnabled();
}

export interface GradientsOptions {
  gradOutputs?: Tensor[];
  retainGraph?: boolean;
  createGraph?: boolean;
  /** Give null for inputs the outputs do not depend on instead of throwing. */
  allowUnused?: boolean;
}

/**
 * d(outputs)/d(inputs) without touching any .grad (torch.autograd.grad). Inputs may be
 * intermediate activations, which is what Grad-CAM needs.
 */
export function gradients(outputs: Tensor[], inputs: Tensor[], o: GradientsOptions = {}): (Tensor | null)[] {
  const raw = native.gradients(
    outputs.map((t) => t.handle),
    inputs.map((t) => t.handle),
    o.gradOutputs ? o.gradOutputs.map((t) => t.handle) : null,
    o.retainGraph ?? o.createGraph ?? false,
    o.createGraph ?? false,
    o.allowUnused ?? false,
  );
  return raw.map((h) => (h ? new Tensor(h) : null));
}
