import type { PretrainResult } from '../train/pretrain.js';

/**
 * True (after saying so, with exit status 130) when a signal stopped a demo's pretraining: the
 * steps after it would evaluate a half-trained encoder and report it as the demo's result.
 */
export function pretrainingInterrupted(run: PretrainResult): boolean {
  if (run.stoppedBy !== 'signal') return false;
  console.log(`stopped during pretraining; checkpoint ${run.checkpoint}. Nothing was evaluated: run the demo again to start over.`);
  process.exitCode = 130;
  run.encoder.dispose();
  run.head.dispose();
  return true;
}
