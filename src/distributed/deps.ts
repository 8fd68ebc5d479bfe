/** What the distributed layer takes from the rest of the project, in one place. */
export { Tensor, noGrad, tidy, keep, zeros, tensor, F, type DType, type Device } from '../tensor/index.js';

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
