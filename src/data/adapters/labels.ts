/**
 * BI-RADS normalisation and the BI-RADS-to-class proxy used where a dataset has no pathology
 * (INbreast, VinDr-Mammo, KAU-BCMD): 1 -> normal, 2-3 -> benign, 4-6 -> malignant. This is the
 * common "BI-RADS >= 4 = malignant" convention; it is an assessment, not a biopsy result, and
 * tasks.ts offers a configurable BI-RADS mapping for experiments that need another cut.
 * BI-RADS 0 (incomplete) gets no class.
 */
export function normalizeBirads(raw: string): string | undefined {
  const m = /^(?:bi-?rads)?\s*([0-6])\s*([abc])?$/i.exec(raw.trim());
  if (!m) return undefined;
  return m[1]! + (m[2] ? m[2].toLowerCase() : '');
}

export function biradsToLabel(birads: string): 'normal' | 'benign' | 'malignant' | undefined {
  const cat = Number(birads[0]);
  if (cat === 1) return 'normal';
  if (cat === 2 || cat === 3) return 'benign';
  if (cat >= 4 && cat <= 6) return 'malignant';
  return undefined;
}

/** The larger of two normalised BI-RADS values ("4c" > "4a" > "3"). */
export function worseBirads(a: string | undefined, b: string): string {
  return a === undefined || b.localeCompare(a) > 0 ? b : a;
}
