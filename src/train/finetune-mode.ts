/**
 * The three ways of fitting a classifier on an encoder, by what is trained: `linear` the
 * classifier alone on the frozen encoder (the paper's linear evaluation), `last-stage` layer4
 * too, `full` every layer (as the supervised baseline from scratch does).
 */
import type { Trainable } from './supervised.js';

export const FINETUNE_MODES = ['linear', 'last-stage', 'full'] as const;
export type FinetuneMode = (typeof FINETUNE_MODES)[number];

/** The parameters each mode trains, in the names classifier training takes. */
export const TRAINABLE: Readonly<Record<FinetuneMode, Trainable>> = { linear: 'head', 'last-stage': 'layer4', full: 'all' };

export const FINETUNE_MODE_HELP = 'linear (frozen encoder, the paper\'s) | last-stage (layer4 trained too) | full';
