/** LARS and SGD on tensors, the learning-rate schedule, and L-BFGS on plain arrays. */
export { Lars, excludeOneDimensional, excludeByName, SIMCLR_EXCLUDED_NAMES, type LarsConfig, type Exclusion } from './lars.js';
export { Sgd, type SgdConfig } from './sgd.js';
export { scaledLearningRate, warmupSteps, totalSteps, learningRateAt, type ScheduleConfig, type LearningRateScaling } from './schedule.js';
export { minimizeLbfgs, type ObjectiveWithGradient, type LbfgsOptions, type LbfgsResult, type LbfgsStopReason } from './lbfgs.js';
