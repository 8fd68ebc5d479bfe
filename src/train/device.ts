/**
 * Where training and inference run: 'cpu' (the default) or a CUDA device when the addon is built
 * against a CUDA libtorch (LIBTORCH=...). Images are read, cached and augmented on the CPU and
 * moved to the device batch by batch (at 32-256 px the augmentation is a few milliseconds);
 * results come back to the CPU. Autocast follows the device: bf16 on either.
 */
import { engineInfo, autocast, type Device, type Tensor } from '../tensor/index.js';
import type { ResNet } from '../nn/resnet.js';

/** Checks a --device value against this engine; with several local processes, cuda means cuda:LOCAL_RANK. */
export function resolveDevice(spec: string, localRank = 0): Device {
  if (spec === 'cpu') return 'cpu';
  const m = /^cuda(?::(\d+))?$/.exec(spec);
  if (!m) throw new Error(`--device: expected cpu, cuda or cuda:N, got '${spec}'`);
  const info = engineInfo();
  if (!info.cudaAvailable) {
    throw new Error(`--device ${spec}: this libtorch (${info.version}) has no CUDA or sees no GPU; point LIBTORCH at a CUDA build of libtorch and rebuild the addon (\`npm run build:native\`); \`mammoclr doctor\` shows what is loaded`);
  }
  const index = m[1] === undefined ? localRank : Number(m[1]);
  if (index >= info.cudaDevices) throw new Error(`--device ${spec}: only ${info.cudaDevices} GPU(s) visible (cuda:0 to cuda:${info.cudaDevices - 1})`);
  return `cuda:${index}`;
}

/** The autocast device type for a device. */
export function autocastDeviceOf(device: Device | undefined): 'cpu' | 'cuda' {
  return device && device.startsWith('cuda') ? 'cuda' : 'cpu';
}

/** x itself on the CPU (no copy), else a copy on `device` that the caller owns. */
export function onDevice(x: Tensor, device: Device | undefined): Tensor {
  return !device || device === 'cpu' ? x : x.to(device);
}

/** x itself when it is on the CPU, else a CPU copy that the caller owns. */
export function toCpu(x: Tensor): Tensor {
  return x.device === 'cpu' ? x : x.to('cpu');
}

/**
 * A batch as the model takes it, for training and inference alike: on the model's device and,
 * with channelsLast, in the memory format the convolutions are fastest in. Call inside tidy.
 */
export function modelInput(x: Tensor, device: Device | undefined, channelsLast: boolean): Tensor {
  const y = onDevice(x, device);
  return channelsLast ? y.contiguous('channelsLast') : y;
}

/** Runs a forward pass under bf16 autocast for the device's type when bf16 is on. */
export function withAutocast<T>(device: Device | undefined, bf16: boolean, fn: () => T): T {
  return autocast({ device: autocastDeviceOf(device), dtype: 'bfloat16', enabled: bf16 }, fn);
}

/** The encoder moved to `device` in place (nothing on the CPU), returned for chaining. */
export function encoderOn(encoder: ResNet, device: Device | undefined): ResNet {
  if (device && device !== 'cpu') encoder.to({ device });
  return encoder;
}
