/** Metrics with their uncertainty: ROC/AUC (DeLong), bootstrap and Wilson intervals, calibration, FROC. */
export * from './roc.js';
export * from './delong.js';
export * from './bootstrap.js';
export * from './wilson.js';
export * from './confusion.js';
export * from './calibration.js';
export * from './baseline.js';
export * from './summary.js';
export * from './multi-class.js';
export * from './predictions-csv.js';
export * from './aggregate.js';
export * from './localization.js';
export * from './knn.js';
export * from './clustered-auc.js';
export * from './pairs.js';
