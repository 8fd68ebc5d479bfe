/** Encoder weights on disk: torchvision-named safetensors with the architecture in the metadata. */
import { loadSafetensors, saveSafetensors } from '../tensor/index.js';
import { ResNet, type ResNetDepth, type Stem } from '../nn/resnet.js';
import type { Generator } from '../tensor/index.js';

export interface EncoderConfig {
  depth: ResNetDepth;
  stem: Stem;
  width: number;
  inChannels: 1 | 3;
}

export function buildEncoder(c: EncoderConfig, generator?: Generator): ResNet {
  return new ResNet({ depth: c.depth, stem: c.stem, inChannels: c.inChannels, width: c.width, generator });
}

export async function saveEncoderFile(path: string, encoder: ResNet, arch: EncoderConfig): Promise<void> {
  await saveSafetensors(path, encoder.stateDict(), { format: 'pt', arch: JSON.stringify(arch) });
}

export async function loadEncoderFile(path: string, o: { channelsLast?: boolean } = {}): Promise<ResNet> {
  return (await loadEncoderWithArch(path, o)).encoder;
}

export async function loadEncoderWithArch(path: string, o: { channelsLast?: boolean } = {}): Promise<{ encoder: ResNet; arch: EncoderConfig }> {
  const { tensors, metadata } = await loadSafetensors(path);
  try {
    if (!metadata.arch) throw new Error(`${path}: no architecture in the metadata (not a mammoclr encoder file)`);
    const arch = JSON.parse(metadata.arch) as EncoderConfig;
    const encoder = buildEncoder(arch);
    if (o.channelsLast) encoder.to({ memoryFormat: 'channelsLast' });
    encoder.loadStateDict(tensors);
    return { encoder, arch };
  } finally {
    for (const t of tensors.values()) t.dispose();
  }
}
