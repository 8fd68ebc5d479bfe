/** Training and evaluation runs: SimCLR pretraining, linear and supervised classifiers, probes, cross-validation, detection. */
export { pretrain, pretrainDefaults, DivergedError, type PretrainConfig, type PretrainInput, type PretrainResult, type KnnMonitorData } from './pretrain.js';
export { trainLinearClassifier, predictProbabilities, balancedClassWeights, LINEAR_EVAL_DEFAULTS, type LinearEvalConfig, type EpochLog } from './linear-eval.js';
export {
  trainClassifier,
  predictImages,
  CLASSIFIER_TRAINING_DEFAULTS,
  type Trainable,
  type ClassifierTrainingConfig,
  type ClassifierTrainingOptions,
  type ClassifierTrainingResult,
} from './supervised.js';
export { extractFeatures, extractFeaturesParallel, type FeatureOptions } from './features.js';
export { inferInBatches, type InferenceOptions, type InferenceLoop } from './inference.js';
export { TrainingSession, augmentSeed, type TrainingSessionOptions } from './session.js';
export { crossValidate, type CvItem, type CvMethod, type CvOptions, type CvResult, type Prediction, type MultiClassEvaluation } from './cross-validation.js';
// Renamed here: linear-eval's predictProbabilities (classifier on features) keeps the plain name.
export {
  fitLogisticProbe,
  predictProbabilities as predictProbeProbabilities,
  logisticProbeFromJSON,
  standardizationOf,
  standardizeRows,
  DEFAULT_PROBE_LAMBDAS,
  type LogisticProbe,
  type LogisticProbeOptions,
  type FeatureMatrix,
  type Standardization,
} from './logistic-probe.js';
export { fitSoftmaxRegression, type SoftmaxRegressionProblem, type SoftmaxRegressionFit } from './softmax-regression.js';
export { crossValidateDetection, DETECTION_DEFAULTS, AGGREGATIONS, type Aggregation, type DetectionConfig, type DetectionInput, type DetectionImage, type DetectionResult, type DetectionPrediction, type PatchScorer } from './detection.js';
export { patchFeatures, type PatchFeatures, type PatchView } from './patch-features.js';
export { trainAttentionMil, predictAttentionMil, MIL_DEFAULTS, type MilBag, type MilTrainConfig, type MilPrediction, type TrainedMil } from './mil.js';
export { runExperiment, markdownTable, csvTable, gridPretrainConfig, pretrainOnce, type ExperimentConfig, type ExperimentData, type CellRow } from './experiment.js';
export { runDetectionExperiment, planDetectionGrid, detectionMarkdownTable, DETECTION_TABLE_COLUMNS, type DetectionGridConfig, type DetectionGridPlan, type DetectionCellRow } from './detection-experiment.js';
export { runDetectionStudy, formatStudy, detectionInput, evaluateScorer, probeScorer, untrainedScorer, classicScorer, scratchScorer, finetuneScorer, type StudyOptions, type StudyResult, type StudyRow } from './detection-study.js';
export { openPretrainPatches, type PretrainPatches } from './patch-pretrain.js';
export { saveCheckpoint, loadCheckpoint, disposeCheckpoint, type CheckpointParts, type LoadedCheckpoint } from './checkpoint.js';
export { buildEncoder, saveEncoderFile, loadEncoderFile, loadEncoderWithArch, type EncoderConfig } from './encoder-io.js';
export { resolveDevice } from './device.js';
export { StopSignal } from './stop-signal.js';
