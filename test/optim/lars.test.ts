import { test } from 'node:test';
import assert from 'node:assert/strict';
import { F, Tensor, tensor } from '../../src/tensor/index.js';
import { Lars, SIMCLR_EXCLUDED_NAMES, excludeByName } from '../../src/optim/lars.js';
import { Sgd } from '../../src/optim/sgd.js';

type Nested = number | Nested[];
const f64 = (v: Nested[], requiresGrad = true) => tensor(v, { dtype: 'float64', requiresGrad });
const closeAll = (got: number[], want: number[], tol = 1e-12, what = '') => {
  assert.equal(got.length, want.length);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) <= tol, `${what}[${i}] ${g} != ${want[i]}`));
};
const setGrad = (p: Tensor, g: Nested[]) => p.setGrad(tensor(g, { dtype: 'float64' }));

test('hand-computed steps: weight decay, trust ratio, momentum; 1-D parameters get neither', () => {
  const w = f64([[3, 4]]);
  const b = f64([1, -2]);
  const opt = new Lars([['fc.weight', w], ['fc.bias', b]], { lr: 2, momentum: 0.9, weightDecay: 0.1, trustCoefficient: 0.001 });
  assert.deepEqual(opt.describe(), [
    { name: 'fc.weight', weightDecay: true, adaptation: true },
    { name: 'fc.bias', weightDecay: false, adaptation: false },
  ]);
  // step 1, w: g = [0.3, 0.4] + 0.1*[3, 4] = [0.6, 0.8], ||g|| = 1, ||w|| = 5
  //   trust = 0.001 * 5 / 1 = 0.005; v = 2 * 0.005 * [0.6, 0.8] = [0.006, 0.008]; w = [2.994, 3.992]
  // step 1, b (excluded): v = 2 * [0.5, 0.5] = [1, 1]; b = [0, -3]
  setGrad(w, [[0.3, 0.4]]);
  setGrad(b, [0.5, 0.5]);
  opt.step();
  closeAll(w.toArray(), [2.994, 3.992], 1e-12, 'w1');
  closeAll(b.toArray(), [0, -3], 1e-12, 'b1');
  closeAll(opt.state().get('fc.weight')!.toArray(), [0.006, 0.008], 1e-15, 'v1');
  closeAll(w.grad!.toArray(), [0.3, 0.4], 0, 'grad untouched');
  // step 2, w: g = [0.3, 0.4] + 0.1*[2.994, 3.992] = 0.1998*[3, 4], ||g|| = 0.999; ||w|| = 0.998*5 = 4.99
  //   lr*trust = 2 * 0.001 * 4.99 / 0.999; times g = 2 * 0.001 * 4.99 * [0.6, 0.8] = [0.005988, 0.007984]
  //   v = 0.9*[0.006, 0.008] + [0.005988, 0.007984] = [0.011388, 0.015184]; w = [2.982612, 3.976816]
  // step 2, b: v = 0.9*[1, 1] + 2*[0.5, 0.5] = [1.9, 1.9]; b = [-1.9, -4.9]
  setGrad(w, [[0.3, 0.4]]);
  setGrad(b, [0.5, 0.5]);
  opt.step();
  closeAll(w.toArray(), [2.982612, 3.976816], 1e-12, 'w2');
  closeAll(b.toArray(), [-1.9, -4.9], 1e-12, 'b2');
  opt.dispose();
});

test('Nesterov: w -= m*v + lr*trust*g', () => {
  const w = f64([[3, 4]]);
  const opt = new Lars([['conv.weight', w]], { lr: 2, weightDecay: 0.1, nesterov: true });
  // as step 1 above: v = [0.006, 0.008]; update = 0.9*v + [0.006, 0.008] = [0.0114, 0.0152]
  setGrad(w, [[0.3, 0.4]]);
  opt.step();
  closeAll(w.toArray(), [2.9886, 3.9848], 1e-12);
  closeAll(opt.state().get('conv.weight')!.toArray(), [0.006, 0.008], 1e-15);
});

test('zero weight or zero gradient: trust 1, no NaN', () => {
  // ||w|| = 0: trust 1, not 0 (eeta*0/||g|| would freeze a zero-initialised weight forever)
  // g = [1, 2] + 0.1*0; v = 0.5*[1, 2]; w = [-0.5, -1]
  const w = f64([[0, 0]]);
  const opt = new Lars([['w', w]], { lr: 0.5, weightDecay: 0.1 });
  setGrad(w, [[1, 2]]);
  opt.step();
  closeAll(w.toArray(), [-0.5, -1]);
  // ||g|| = 0 (wd 0): eeta*||w||/0 would be inf and inf*0 NaN; with trust 1 only momentum moves w:
  // v = 0.9*[0.5, 1] = [0.45, 0.9]; w = [-0.95, -1.9]
  opt.config.weightDecay = 0;
  setGrad(w, [[0, 0]]);
  opt.step();
  closeAll(w.toArray(), [-0.95, -1.9]);
  closeAll(opt.state().get('w')!.toArray(), [0.45, 0.9]);
});

/** Squared error of a linear layer: gradients that depend on the current parameters. */
function regressionStep(weight: Tensor, bias: Tensor, x: Tensor, y: Tensor): void {
  const loss = F.mseLoss(F.linear(x, weight, bias), y, 'sum');
  loss.backward();
  loss.dispose();
}

test('without adaptation (trust fixed at 1) LARS equals SGD with momentum at constant lr', () => {
  const x = tensor([[1, 2, -1, 0.5], [0, 1, 3, -2], [2, -1, 1, 1], [-1, 0.5, 0.25, 2], [1, 1, 1, 1]], { dtype: 'float64' });
  const y = tensor([[1, 0, -1], [0.5, 2, 0], [-1, 1, 1], [0, 0, 3], [2, -2, 1]], { dtype: 'float64' });
  const w0 = [[0.1, -0.2, 0.3, 0.05], [0.2, 0.1, -0.1, 0.3], [-0.3, 0.2, 0.1, -0.05]];
  const b0 = [0.1, 0, -0.1];
  const [w1, b1, w2, b2] = [f64(w0), f64(b0), f64(w0), f64(b0)];
  const sgd = new Sgd([w1, b1], { lr: 0.01, momentum: 0.9, weightDecay: 0.05 });
  // SGD decays every parameter, so LARS must too; adaptation off for all = trust 1 everywhere.
  const lars = new Lars([['weight', w2], ['bias', b2]], {
    lr: 0.01, momentum: 0.9, weightDecay: 0.05, excludeFromWeightDecay: () => false, excludeFromAdaptation: () => true,
  });
  for (let step = 0; step < 8; step++) {
    regressionStep(w1, b1, x, y);
    regressionStep(w2, b2, x, y);
    sgd.step();
    lars.step();
    sgd.zeroGrad();
    lars.zeroGrad();
    // SGD keeps lr outside its buffer (p -= lr*buf), LARS inside (v = lr*buf): equal while lr is fixed.
    closeAll(w2.toArray(), w1.toArray(), 1e-12, `weight step ${step}`);
    closeAll(b2.toArray(), b1.toArray(), 1e-12, `bias step ${step}`);
  }
  // and the parameters really moved
  assert.ok(Math.abs(w1.toArray()[0]! - 0.1) > 1e-3);
});

test('exclusion by name (SimCLR list in torchvision names) and separately for adaptation', () => {
  const named: [string, Tensor][] = [
    ['conv1.weight', f64([[[[1]]]])],
    ['bn1.weight', f64([1])],
    ['layer1.0.downsample.0.weight', f64([[[[1]]]])],
    ['layer1.0.downsample.1.bias', f64([1])],
    ['layer1.0.downsample.1.weight', f64([1])],
    ['fc.weight', f64([[1, 2]])],
    ['fc.bias', f64([1])],
  ];
  assert.deepEqual([...SIMCLR_EXCLUDED_NAMES], ['bn', 'bias', 'downsample.1']);
  const byName = new Lars(named, { lr: 1, excludeFromWeightDecay: excludeByName([...SIMCLR_EXCLUDED_NAMES, 'fc']) });
  const decayed = byName.describe().filter((d) => d.weightDecay).map((d) => d.name);
  assert.deepEqual(decayed, ['conv1.weight', 'layer1.0.downsample.0.weight']);
  // adaptation follows weight decay unless given
  assert.deepEqual(byName.describe().map((d) => d.adaptation), byName.describe().map((d) => d.weightDecay));
  // default: 1-D parameters excluded, here the same set without 'fc' (fc.weight is 2-D)
  const byDim = new Lars(named, { lr: 1 });
  assert.deepEqual(byDim.describe().filter((d) => d.weightDecay).map((d) => d.name), ['conv1.weight', 'layer1.0.downsample.0.weight', 'fc.weight']);
  // a substring list works as well, and adaptation can differ
  const split = new Lars(named, { lr: 1, excludeFromWeightDecay: ['bias'], excludeFromAdaptation: () => false });
  assert.deepEqual(split.describe().filter((d) => !d.weightDecay).map((d) => d.name), ['layer1.0.downsample.1.bias', 'fc.bias']);
  assert.ok(split.describe().every((d) => d.adaptation));
  assert.throws(() => new Lars([['a', f64([1])], ['a', f64([2])]], { lr: 1 }), /twice/);
});

test('state export/import round trip continues identically; parameters without gradient are skipped', () => {
  const grads = [[[0.3, -0.1], [0.2, 0.5]], [[-0.4, 0.1], [0.6, -0.2]], [[0.1, 0.1], [-0.3, 0.4]]];
  const biasGrads = [[0.2, -0.3], [0.1, 0.4], [-0.5, 0.2]];
  const config = { lr: 0.7, weightDecay: 1e-2 };
  const wa = f64([[1, -2], [0.5, 3]]);
  const ba = f64([0.1, -0.1]);
  const unused = f64([[1, 1]]);
  const a = new Lars([['w', wa], ['b', ba], ['unused', unused]], config);
  for (let i = 0; i < 3; i++) {
    setGrad(wa, grads[i]!);
    setGrad(ba, biasGrads[i]!);
    a.step();
  }
  assert.deepEqual([...a.state().keys()].sort(), ['b', 'w']);
  closeAll(unused.toArray(), [1, 1], 0, 'no gradient, no update');
  // B: the same parameters (copies), the exported state
  const copy = (t: Tensor) => t.detach().clone().requiresGrad_(true);
  const wb = copy(wa);
  const bb = copy(ba);
  const b = new Lars([['w', wb], ['b', bb], ['unused', f64([[1, 1]])]], config);
  b.loadState(a.state());
  // C: the same parameters, no state: must diverge, or the test proves nothing
  const wc = copy(wa);
  const c = new Lars([['w', wc]], config);
  for (let i = 0; i < 3; i++) {
    for (const [w, bias] of [[wa, ba], [wb, bb]] as const) {
      setGrad(w, grads[2 - i]!);
      setGrad(bias, biasGrads[2 - i]!);
    }
    setGrad(wc, grads[2 - i]!);
    a.step();
    b.step();
    c.step();
    assert.deepEqual(wb.toArray(), wa.toArray());
    assert.deepEqual(bb.toArray(), ba.toArray());
  }
  assert.ok(Math.abs(wc.toArray()[0]! - wa.toArray()[0]!) > 1e-6);
  // loadState copies: disposing the source leaves B intact
  a.dispose();
  assert.equal(b.state().get('w')!.isDisposed, false);
  assert.throws(() => b.loadState(new Map([['nope', f64([1])]])), /no parameter named nope/);
  assert.throws(() => b.loadState({ w: f64([1, 2, 3]) }), /shape/);
  b.dispose();
  c.dispose();
});
