/**
 * Weighted k-nearest-neighbour classifier on features, the usual monitor of self-supervised
 * training (solo-learn WeightedKNNClassifier, Wu et al. 2018): cosine similarity, the k most
 * similar training samples vote with weight exp(sim / T).
 */
import { Tensor, tidy, noGrad, F, zeros } from '../tensor/index.js';

export interface KnnOptions {
  k?: number;
  temperature?: number;
}

/** Predicted class scores [M, classes] for test features given training features and labels. */
export function knnScores(trainFeatures: Tensor, trainLabels: Tensor, testFeatures: Tensor, classes: number, o: KnnOptions = {}): Tensor {
  const k = Math.min(o.k ?? 20, trainFeatures.shape[0]!);
  const t = o.temperature ?? 0.07;
  return tidy(() => noGrad(() => {
    const a = F.normalize(testFeatures.float(), 1);
    const b = F.normalize(trainFeatures.float(), 1);
    const sim = a.matmul(b.t());
    const { values, indices } = sim.topk(k, 1);
    const weights = values.div(t).exp();
    const neighbourLabels = trainLabels.expand(testFeatures.shape[0]!, trainLabels.shape[0]!).gather(1, indices);
    const scores = zeros([testFeatures.shape[0]!, classes]);
    return scores.scatterAdd(1, neighbourLabels, weights);
  }));
}

/** Accuracy of the kNN vote. */
export function knnAccuracy(trainFeatures: Tensor, trainLabels: Tensor, testFeatures: Tensor, testLabels: Tensor, classes: number, o: KnnOptions = {}): number {
  return tidy(() => {
    const scores = knnScores(trainFeatures, trainLabels, testFeatures, classes, o);
    return scores.argmax(1).eq(testLabels).float().mean().item();
  });
}
