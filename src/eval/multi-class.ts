/**
 * Evaluating class probabilities: two classes get the binary evaluation with its intervals and
 * baseline (score = probability of class 1); more get accuracy, macro F1, the confusion matrix
 * and one-vs-rest ROC AUC per class.
 */
import { evaluateBinary, type BinaryEvaluation } from './summary.js';
import { confusionMatrix, multiClassMetrics } from './confusion.js';
import { rocAuc } from './roc.js';

export interface MultiClassEvaluation {
  n: number;
  accuracy: number;
  macroF1: number;
  confusion: number[][];
  /** One-vs-rest ROC AUC per class (NaN for a class absent or alone in the labels). */
  aucPerClass: number[];
}

export type ProbabilityEvaluation = BinaryEvaluation | MultiClassEvaluation;

export function isBinaryEvaluation(e: ProbabilityEvaluation): e is BinaryEvaluation {
  return (e as BinaryEvaluation).auc !== undefined;
}

/** The predicted class is the most probable one. */
export function evaluateMultiClass(labels: number[], probs: number[][], classes: number): MultiClassEvaluation {
  const preds = probs.map((p) => p.indexOf(Math.max(...p)));
  const confusion = confusionMatrix(labels, preds, classes);
  const m = multiClassMetrics(confusion);
  const aucPerClass = Array.from({ length: classes }, (_, c) => {
    const y = labels.map((l) => (l === c ? 1 : 0));
    try {
      return rocAuc(y, probs.map((p) => p[c]!));
    } catch {
      return NaN;
    }
  });
  return { n: labels.length, accuracy: m.accuracy, macroF1: m.macroF1, confusion, aucPerClass };
}

/** `trainLabels` give the binary majority-class baseline its class. */
export function evaluateProbabilities(labels: number[], probs: number[][], classes: number, trainLabels: number[]): ProbabilityEvaluation {
  if (classes === 2) return evaluateBinary(labels, probs.map((p) => p[1]!), 0.5, { trainLabels });
  return evaluateMultiClass(labels, probs, classes);
}
