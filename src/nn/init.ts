/** Weight initialisation as torchvision does it (torch.nn.init), seeded through a Generator. */
import { Tensor, noGrad, F, type Generator } from '../tensor/index.js';

function fans(shape: number[]): { fanIn: number; fanOut: number } {
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}

/** kaiming_normal_(mode='fan_out', nonlinearity='relu'): N(0, 2 / fan_out). */
export function kaimingNormalFanOut(t: Tensor, generator?: Generator): void {
  const std = Math.sqrt(2 / fans(t.shape).fanOut);
  noGrad(() => F.normal_(t, 0, std, generator));
}

/** nn.Linear's default: kaiming_uniform_(a=sqrt(5)) = U(-1/sqrt(fan_in), 1/sqrt(fan_in)); bias the same bound. */
export function linearDefault(weight: Tensor, bias: Tensor | null, generator?: Generator): void {
  const bound = 1 / Math.sqrt(fans(weight.shape).fanIn);
  noGrad(() => {
    F.uniform_(weight, -bound, bound, generator);
    if (bias) F.uniform_(bias, -bound, bound, generator);
  });
}

export function constant(t: Tensor, value: number): void {
  noGrad(() => t.fill_(value));
}
