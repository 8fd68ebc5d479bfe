import type { Laterality } from './image.js';

/** One lesion, in the original image's pixels (column x, row y, top-left origin). */
export interface Lesion {
  x: number;
  y: number;
  radius?: number;
  /** The dataset's own finding type (MIAS CIRC/SPIC/CALC..., VinDr "Mass", phantom "round"...). */
  kind?: string;
  severity?: 'benign' | 'malignant';
}

/** One image of a dataset, as every adapter returns it. Adapters never decode pixels. */
export interface DatasetRecord {
  /** Unique within the dataset. */
  id: string;
  /** Splits group by this; several images of one person must share it. */
  patientId: string;
  imagePath: string;
  dataset: string;
  laterality?: Laterality;
  view?: string;
  /** Millimetres per pixel of the original image (square pixels), where the dataset states it. */
  pixelSpacingMm?: number;
  /** Image-level class: "normal" | "benign" | "malignant" where the dataset supports it. */
  label: string;
  /** Normalised BI-RADS category: "0".."6", INbreast subcategories kept ("4a"). */
  birads?: string;
  /** Breast density / background tissue as the dataset states it (MIAS F/G/D, ACR 1-4, A-D). */
  density?: string;
  /** The dataset's own split ("train"/"test"), if it defines one. */
  officialSplit?: string;
  lesions: Lesion[];
  /** Findings the dataset reports without a location (MIAS *NOTE 3*, CBIS rows whose geometry is a mask file). */
  unlocatedLesions?: number;
  /** Files holding lesion geometry that the adapter did not read (CBIS ROI masks). */
  annotationPaths?: string[];
}

/** A row or file the adapter skipped, and why. One bad row never aborts a whole dataset. */
export interface Problem {
  source: string;
  reason: string;
}

export interface AdapterResult {
  records: DatasetRecord[];
  problems: Problem[];
}

/** Severity order used to give a patient the label of their worst image. */
const SEVERITY: Record<string, number> = {
  unlabeled: -1,
  normal: 0,
  negative: 0,
  benign: 1,
  malignant: 2,
  positive: 2,
};

export function severityRank(label: string): number {
  return SEVERITY[label] ?? 0;
}

/** The more severe of two labels (ties keep the first). */
export function worseLabel(a: string, b: string): string {
  return severityRank(b) > severityRank(a) ? b : a;
}
