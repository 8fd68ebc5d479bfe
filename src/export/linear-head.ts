/** mammoclr's LinearClassifier as the standardised linear head the exporter folds into one Gemm. */
import type { LinearClassifier } from '../nn/heads.js';
import type { StandardisedLinearHead } from './fold.js';

export function linearClassifierHead(classifier: LinearClassifier): StandardisedLinearHead {
  const s = classifier.stateDict();
  const weight = s.get('fc.weight')!;
  const [classes, dims] = weight.shape as [number, number];
  return {
    classes,
    dims,
    weight: weight.toFloat32Array(),
    bias: s.get('fc.bias')!.toFloat32Array(),
    mean: s.get('feature_mean')!.toFloat32Array(),
    std: s.get('feature_std')!.toFloat32Array(),
  };
}
