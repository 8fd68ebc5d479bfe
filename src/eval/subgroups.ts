/**
 * Which findings a detector finds: the AUC of each subgroup of the positives (for example each
 * lesion type, or each breast density) against the negatives of the same subgroup definition.
 * A pooled AUC hides that a detector may find masses and miss every architectural distortion.
 */
import { delongAuc } from './delong.js';

export interface SubgroupAuc {
  group: string;
  positives: number;
  negatives: number;
  /** DeLong 95 % interval; null with fewer than 2 positives or 2 negatives (no variance estimate). */
  auc: { value: number; lo: number; hi: number } | null;
}

/**
 * `positiveGroup(i)` names the subgroup of positive i; `negativeGroup(i)` the subgroup of
 * negative i, or 'all' to compare every subgroup of positives with all negatives (lesion types
 * against every normal image). Groups sorted by name.
 */
export function subgroupAucs(labels: ArrayLike<number>, scores: ArrayLike<number>, positiveGroup: (i: number) => string, negativeGroup: (i: number) => string | 'all' = () => 'all'): SubgroupAuc[] {
  if (labels.length !== scores.length) throw new Error(`subgroupAucs: ${labels.length} labels but ${scores.length} scores`);
  const groups = new Set<string>();
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) groups.add(positiveGroup(i));
  return [...groups].sort().map((group) => {
    const l: number[] = [];
    const s: number[] = [];
    for (let i = 0; i < labels.length; i++) {
      const inGroup = labels[i] === 1 ? positiveGroup(i) === group : ['all', group].includes(negativeGroup(i));
      if (!inGroup) continue;
      l.push(labels[i]!);
      s.push(scores[i]!);
    }
    const positives = l.filter((v) => v === 1).length;
    const negatives = l.length - positives;
    if (positives < 2 || negatives < 2) return { group, positives, negatives, auc: null };
    const d = delongAuc(l, s);
    return { group, positives, negatives, auc: { value: d.auc, lo: d.lo, hi: d.hi } };
  });
}
