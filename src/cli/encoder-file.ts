/** Encoder weights on disk: torchvision-named safetensors with the architecture in the metadata. */
import { loadSafetensors } from '../tensor/index.js';
import { buildEncoder, type EncoderConfig } from '../train/pretrain.js';
import type { ResNet } from '../nn/resnet.js';

export async function loadEncoder(path: string, o: { channelsLast?: boolean } = {}): Promise<{ encoder: ResNet; arch: EncoderConfig }> {
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
