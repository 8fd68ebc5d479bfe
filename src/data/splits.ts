import { createRng, type Seed } from './rng.js';

/** Anything with a patient and an integer class (0 = least severe, as tasks.ts orders them). */
export interface SplitItem {
  patientId: string;
  label: number;
}

export interface SplitFractions {
  /** Fraction of patients for validation. Default 0.15. */
  validation?: number;
  /** Fraction of patients for test. Default 0.15. */
  test?: number;
}

export interface Split<T> {
  train: T[];
  validation: T[];
  test: T[];
}

interface Patient<T> {
  id: string;
  label: number;
  items: T[];
}

/**
 * Groups items by patient; a patient's stratum is their most severe label, so a woman with one
 * malignant and one normal image counts as malignant. Sorted by id so the result does not depend
 * on input order.
 */
function patients<T extends SplitItem>(items: readonly T[]): Patient<T>[] {
  const map = new Map<string, Patient<T>>();
  for (const it of items) {
    const p = map.get(it.patientId);
    if (p) {
      p.items.push(it);
      p.label = Math.max(p.label, it.label);
    } else map.set(it.patientId, { id: it.patientId, label: it.label, items: [it] });
  }
  return [...map.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Patients grouped by stratum (ascending label), each group shuffled with the seed. */
function strata<T extends SplitItem>(items: readonly T[], seed: Seed): Patient<T>[][] {
  const byLabel = new Map<number, Patient<T>[]>();
  for (const p of patients(items)) {
    const list = byLabel.get(p.label) ?? [];
    list.push(p);
    byLabel.set(p.label, list);
  }
  return [...byLabel.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([label, list]) => createRng(seed, 'stratum', label).shuffle(list));
}

/**
 * Patient-disjoint, stratified train/validation/test split. Within each stratum the shuffled
 * patients are cut at round(n * test) and round(n * validation), so every split's patient count
 * per class is within one patient of its target share. Images follow their patient.
 */
export function splitByPatient<T extends SplitItem>(items: readonly T[], seed: Seed, fractions: SplitFractions = {}): Split<T> {
  const fv = fractions.validation ?? 0.15;
  const ft = fractions.test ?? 0.15;
  if (fv < 0 || ft < 0 || fv + ft >= 1) throw new Error(`validation ${fv} + test ${ft} must be in [0, 1)`);
  const out: Split<T> = { train: [], validation: [], test: [] };
  for (const group of strata(items, seed)) {
    const n = group.length;
    const nt = Math.round(n * ft);
    const nv = Math.min(n - nt, Math.round(n * fv));
    group.forEach((p, i) => {
      const dest = i < nt ? out.test : i < nt + nv ? out.validation : out.train;
      dest.push(...p.items);
    });
  }
  return out;
}

export interface Fold<T> {
  train: T[];
  test: T[];
}

/**
 * Stratified patient-level k-fold: strata are concatenated and dealt round-robin into k folds,
 * so fold sizes differ by at most one patient overall and per class by at most one.
 */
export function kFoldByPatient<T extends SplitItem>(items: readonly T[], k: number, seed: Seed): Fold<T>[] {
  if (!Number.isInteger(k) || k < 2) throw new Error(`k must be an integer >= 2, got ${k}`);
  const assigned: Patient<T>[][] = Array.from({ length: k }, () => []);
  let i = 0;
  for (const group of strata(items, seed)) for (const p of group) assigned[i++ % k]!.push(p);
  return assigned.map((_, f) => ({
    test: assigned[f]!.flatMap((p) => p.items),
    train: assigned.flatMap((ps, g) => (g === f ? [] : ps.flatMap((p) => p.items))),
  }));
}

export const LABEL_FRACTIONS = [0.01, 0.05, 0.1, 0.25, 0.5, 1] as const;

/**
 * Nested, stratified labeled subsets of a training set, for label-efficiency curves. Each class
 * is shuffled once with the seed and every fraction takes a prefix of it (round(n * f), at least
 * one per class), so the 1 % set is inside the 5 % set, and so on. Returned in input order.
 */
export function labeledFractions<T extends { label: number }>(
  train: readonly T[],
  seed: Seed,
  fractions: readonly number[] = LABEL_FRACTIONS,
): Map<number, T[]> {
  for (const f of fractions) if (!(f > 0 && f <= 1)) throw new Error(`fraction ${f} must be in (0, 1]`);
  const byLabel = new Map<number, number[]>();
  train.forEach((it, i) => {
    const list = byLabel.get(it.label) ?? [];
    list.push(i);
    byLabel.set(it.label, list);
  });
  const orders = [...byLabel.entries()].map(([label, idx]) => createRng(seed, 'fraction', label).shuffle(idx));
  const out = new Map<number, T[]>();
  for (const f of fractions) {
    const keep = new Set<number>();
    for (const order of orders) {
      const n = Math.min(order.length, Math.max(1, Math.round(order.length * f)));
      for (let j = 0; j < n; j++) keep.add(order[j]!);
    }
    out.set(f, train.filter((_, i) => keep.has(i)));
  }
  return out;
}

/** Throws, naming the shared patients, when two sets have a patient in common. */
export function assertPatientDisjoint(a: readonly { patientId: string }[], b: readonly { patientId: string }[], names = ['a', 'b']): void {
  const inA = new Set(a.map((x) => x.patientId));
  const shared = [...new Set(b.map((x) => x.patientId))].filter((p) => inA.has(p)).sort();
  if (shared.length > 0) {
    const shown = shared.slice(0, 20).join(', ');
    const more = shared.length > 20 ? ` and ${shared.length - 20} more` : '';
    throw new Error(`patient leakage: ${shared.length} patient(s) in both ${names[0]} and ${names[1]}: ${shown}${more}`);
  }
}
