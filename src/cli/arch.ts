/** Architecture names as the commands and experiment configs take them (`resnet50`). */
import { z } from 'zod';
import type { ResNetDepth, Stem } from '../nn/resnet.js';
import type { EncoderConfig } from '../train/encoder-io.js';

export const ARCHS = ['resnet18', 'resnet34', 'resnet50'] as const;
export type ArchName = (typeof ARCHS)[number];
export const archSchema = z.enum(ARCHS);

/** A one-channel encoder (mammograms are grey), with the paper's stem unless told otherwise. */
export function parseArch(name: ArchName, o: { width: number; stem?: Stem }): EncoderConfig {
  return { depth: Number(name.slice('resnet'.length)) as ResNetDepth, stem: o.stem ?? 'cifar', width: o.width, inChannels: 1 };
}
