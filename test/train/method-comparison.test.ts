// Comparing two patch classifiers of the same windows: the patch difference is the paired cluster
// bootstrap, each image score's difference is DeLong's paired test with its interval, images or
// windows that differ between the two are refused, and the sentence says which way the interval points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareScorers, formatComparison, type ScorerOutcome } from '../../src/train/method-comparison.js';
import { pairedClusteredAucDifference } from '../../src/eval/clustered-auc.js';
import { delongPairedTest, Z95 } from '../../src/eval/delong.js';
import type { DetectionResult } from '../../src/train/detection.js';
import { mulberry32 } from '../../src/eval/bootstrap.js';

const close = (a: number, b: number, tol = 1e-12, msg = ''): void => assert.ok(Math.abs(a - b) <= tol, `${msg} ${a} vs ${b}`);

/** 12 women, two images each; 10 windows per image; `skill` lifts lesion windows and abnormal images. */
function outcome(method: string, skill: number, seed: number, withMil = true): ScorerOutcome {
  const r = mulberry32(seed);
  const gen = mulberry32(99); // the same labels and women for every method
  const result: DetectionResult = { predictions: [], maps: [], patchLabels: [], patchScores: [], patchPatients: [], probes: [] };
  for (let w = 0; w < 12; w++) {
    for (const side of ['L', 'R']) {
      const label = gen() < 0.35 ? 1 : 0;
      const top = label * skill + r();
      const scores: ScorerOutcome['result']['predictions'][number]['scores'] = { max: top, 'top-k mean': top * 0.9, bilateral: top - 0.5 };
      if (withMil) scores['attention MIL'] = r();
      result.predictions.push({ id: `w${w}${side}`, patientId: `w${w}`, label, fold: 1 + (w % 3), scores });
      for (let k = 0; k < 10; k++) {
        const onLesion = label === 1 && k < 2 ? 1 : 0;
        result.patchLabels.push(onLesion);
        result.patchScores.push(onLesion * skill + r());
        result.patchPatients.push(`w${w}`);
      }
    }
  }
  result.predictions[0]!.label = 1;
  result.predictions[1]!.label = 0;
  return { method, fraction: 0.25, result };
}

test('patch difference is the paired cluster bootstrap; image differences are paired DeLong with their interval', () => {
  const a = outcome('SimCLR encoder, L2 logistic probe', 0.6, 1);
  const b = outcome('untrained encoder, L2 logistic probe', 0.2, 2);
  const c = compareScorers(a, b, 3);
  const d = pairedClusteredAucDifference(a.result.patchLabels, a.result.patchScores, b.result.patchScores, a.result.patchPatients, { seed: 3 });
  assert.deepEqual([c.patch.diff, c.patch.lo, c.patch.hi, c.patch.notAbove], [d.value, d.lo, d.hi, d.notAbove]);
  assert.equal(c.patch.women, 12);
  assert.deepEqual(c.image.map((x) => x.aggregation), ['max', 'top-k mean', 'bilateral', 'attention MIL']);
  for (const x of c.image) {
    const labels = a.result.predictions.map((p) => p.label);
    const t = delongPairedTest(labels, a.result.predictions.map((p) => p.scores[x.aggregation]!), b.result.predictions.map((p) => p.scores[x.aggregation]!));
    close(x.diff, t.aucA - t.aucB);
    close(x.hi - x.diff, Z95 * Math.sqrt(t.varA + t.varB - 2 * t.covAB));
    close(x.diff - x.lo, x.hi - x.diff);
    close(x.p, t.p);
  }
  assert.deepEqual([c.fraction, c.method, c.against], [0.25, a.method, b.method]);
});

test('an image score one method lacks is left out; images found by id, not position', () => {
  const a = outcome('SimCLR encoder, L2 logistic probe', 0.6, 1);
  const b = outcome('supervised from scratch on the patches', 0.2, 2, false);
  const reversed = { ...b, result: { ...b.result, predictions: [...b.result.predictions].reverse() } };
  const c1 = compareScorers(a, b, 3);
  const c2 = compareScorers(a, reversed, 3);
  assert.deepEqual(c1.image.map((x) => x.aggregation), ['max', 'top-k mean', 'bilateral']);
  assert.deepEqual(c2.image, c1.image);
});

test('two scorers of different test windows are refused', () => {
  const a = outcome('SimCLR encoder, L2 logistic probe', 0.6, 1);
  const b = outcome('untrained encoder, L2 logistic probe', 0.2, 2);
  b.result.patchPatients[5] = 'someone else';
  assert.throws(() => compareScorers(a, b, 3), /scored on different test windows/);
  const c = outcome('untrained encoder, L2 logistic probe', 0.2, 2);
  c.result.patchLabels.pop();
  assert.throws(() => compareScorers(a, c, 3), /scored on different test windows/);
});

test('the sentence names the direction only where the interval excludes 0', () => {
  const a = outcome('SimCLR encoder, L2 logistic probe', 2, 1);
  const b = outcome('untrained encoder, L2 logistic probe', 0, 2);
  const ahead = formatComparison(compareScorers(a, b, 3));
  assert.match(ahead, /^SimCLR encoder minus untrained encoder, 25\.0 %: patch AUC \+\d+\.\d \[\+\d+\.\d, \+\d+\.\d\], ahead \(paired bootstrap over 12 women\); image AUC \(paired DeLong\) max \+/);
  const behind = formatComparison(compareScorers(b, a, 3));
  assert.match(behind, /patch AUC -\d+\.\d \[-\d+\.\d, -\d+\.\d\], behind/);
  const same = formatComparison(compareScorers(a, { ...a, method: 'classic CAD features, L2 logistic probe' }, 3));
  assert.match(same, /patch AUC \+0\.0 \[\+0\.0, \+0\.0\], not distinguishable/);
  const finetuned = formatComparison(compareScorers(a, { ...a, method: 'SimCLR encoder, fully fine-tuned on the patches' }, 3));
  assert.match(finetuned, /^SimCLR encoder minus SimCLR encoder, fully fine-tuned on the patches, 25\.0 %: /);
});
