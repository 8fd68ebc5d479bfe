import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, hashSeed } from '../../src/data/rng.js';
import { assertPatientDisjoint, kFoldByPatient, labeledFractions, splitByPatient, type SplitItem } from '../../src/data/splits.js';

interface Item extends SplitItem {
  id: string;
}

/** 300 patients with 1-3 images each; patient class drawn 60/25/15, each image at most the patient's class. */
function cohort(): Item[] {
  const rng = createRng('cohort');
  const out: Item[] = [];
  for (let p = 0; p < 300; p++) {
    const u = rng.next();
    const cls = u < 0.6 ? 0 : u < 0.85 ? 1 : 2;
    const n = 1 + rng.int(3);
    for (let k = 0; k < n; k++) out.push({ id: `p${p}-${k}`, patientId: `p${p}`, label: k === 0 ? cls : rng.int(cls + 1) });
  }
  return out;
}

const items = cohort();

function patientClasses(xs: Item[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x.patientId, Math.max(m.get(x.patientId) ?? 0, x.label));
  return m;
}

function classCounts(xs: Item[]): number[] {
  const c = [0, 0, 0];
  for (const v of patientClasses(xs).values()) c[v]!++;
  return c;
}

test('rng: mulberry32 is deterministic per seed and roughly uniform', () => {
  const a = createRng(42);
  const b = createRng(42);
  const xs = Array.from({ length: 1000 }, () => a.next());
  assert.deepEqual(xs, Array.from({ length: 1000 }, () => b.next()));
  assert.notEqual(createRng(43).next(), xs[0]);
  assert.notEqual(hashSeed('1'), hashSeed(1));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.03);
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.deepEqual(createRng(1).shuffle([1, 2, 3, 4, 5]).sort(), [1, 2, 3, 4, 5]);
});

test('train/validation/test: patient-disjoint, every image kept, class ratios within one patient', () => {
  const s = splitByPatient(items, 7, { validation: 0.15, test: 0.2 });
  assert.equal(s.train.length + s.validation.length + s.test.length, items.length);
  assertPatientDisjoint(s.train, s.test);
  assertPatientDisjoint(s.train, s.validation);
  assertPatientDisjoint(s.validation, s.test);
  const total = classCounts(items);
  const shares: [Item[], number][] = [
    [s.test, 0.2],
    [s.validation, 0.15],
    [s.train, 0.65],
  ];
  for (const [part, f] of shares) {
    classCounts(part).forEach((c, k) => assert.ok(Math.abs(c - total[k]! * f) <= 1, `class ${k}: ${c} vs ${total[k]! * f}`));
  }
  // A patient's images all go to one split.
  const where = new Map<string, string>();
  for (const [name, part] of Object.entries(s)) for (const x of part as Item[]) {
    assert.ok((where.get(x.patientId) ?? name) === name);
    where.set(x.patientId, name);
  }
});

test('same seed same split, different seed different split, input order irrelevant', () => {
  const ids = (xs: Item[]): string[] => xs.map((x) => x.id).sort();
  const a = splitByPatient(items, 'seed-a');
  const b = splitByPatient([...items].reverse(), 'seed-a');
  const c = splitByPatient(items, 'seed-b');
  assert.deepEqual(ids(a.test), ids(b.test));
  assert.deepEqual(ids(a.validation), ids(b.validation));
  assert.notDeepEqual(ids(a.test), ids(c.test));
});

test('k-fold: every patient tested once, folds disjoint and stratified', () => {
  const folds = kFoldByPatient(items, 5, 3);
  assert.equal(folds.length, 5);
  const tested = folds.flatMap((f) => f.test.map((x) => x.id)).sort();
  assert.deepEqual(tested, items.map((x) => x.id).sort());
  const total = classCounts(items);
  for (const f of folds) {
    assertPatientDisjoint(f.train, f.test);
    assert.equal(f.train.length + f.test.length, items.length);
    classCounts(f.test).forEach((c, k) => assert.ok(Math.abs(c - total[k]! / 5) <= 1, `class ${k}: ${c}`));
  }
  assert.throws(() => kFoldByPatient(items, 1, 0), /k must be/);
});

test('labeled fractions: nested, stratified, at least one per class, seeded', () => {
  const train = splitByPatient(items, 1).train;
  const perClass = (xs: Item[]): number[] => [0, 1, 2].map((k) => xs.filter((x) => x.label === k).length);
  const full = perClass(train);
  const fr = labeledFractions(train, 11);
  assert.deepEqual([...fr.keys()], [0.01, 0.05, 0.1, 0.25, 0.5, 1]);
  let prev = new Set<string>();
  for (const [f, subset] of fr) {
    const ids = new Set(subset.map((x) => x.id));
    for (const id of prev) assert.ok(ids.has(id), `${f}: lost ${id} from the smaller fraction`);
    prev = ids;
    perClass(subset).forEach((c, k) => assert.equal(c, Math.min(full[k]!, Math.max(1, Math.round(full[k]! * f))), `fraction ${f} class ${k}`));
  }
  assert.equal(fr.get(1)!.length, train.length);
  assert.deepEqual(perClass(fr.get(0.01)!).map((c) => c >= 1), [true, true, true]);
  const again = labeledFractions(train, 11).get(0.1)!.map((x) => x.id);
  assert.deepEqual(again, fr.get(0.1)!.map((x) => x.id));
  assert.notDeepEqual(labeledFractions(train, 12).get(0.1)!.map((x) => x.id), again);
  assert.throws(() => labeledFractions(train, 1, [0]), /fraction/);
});

test('assertPatientDisjoint names the shared patients', () => {
  const a = [{ patientId: 'p1' }, { patientId: 'p2' }, { patientId: 'p3' }];
  const b = [{ patientId: 'p3' }, { patientId: 'p9' }, { patientId: 'p1' }];
  assert.throws(() => assertPatientDisjoint(a, b, ['train', 'test']), {
    message: 'patient leakage: 2 patient(s) in both train and test: p1, p3',
  });
  assert.doesNotThrow(() => assertPatientDisjoint(a, [{ patientId: 'p4' }]));
});
