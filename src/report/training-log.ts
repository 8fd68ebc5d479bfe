// Reads <run>/log.jsonl (one JSON object per line, written while training runs) into the series
// the training plots and the run summary need.

export interface StepRecord {
  epoch: number;
  step: number;
  loss: number;
  lr?: number;
  contrastiveAccuracy?: number;
  entropy?: number;
  imagesPerSecond?: number;
  dataWaitFraction?: number;
}

export interface EpochRecord {
  epoch: number;
  loss?: number;
  knnAccuracy?: number;
}

export interface TrainingLog {
  steps: StepRecord[];
  epochs: EpochRecord[];
  /** Lines that were not JSON objects of a known type (a run killed mid-write leaves half a line). */
  skippedLines: number;
}

/** Series derived for plotting: x is a global step that grows over the whole run. */
export interface TrainingSeries {
  steps: { step: number; epoch: number; loss: number; lr?: number }[];
  epochMeans: { epoch: number; step: number; loss: number }[];
  knn: { epoch: number; knnAccuracy: number }[];
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function optionalNumbers<K extends string>(o: Record<string, unknown>, keys: readonly K[]): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const k of keys) if (isNum(o[k])) out[k] = o[k];
  return out;
}

export function parseTrainingLog(text: string): TrainingLog {
  const log: TrainingLog = { steps: [], epochs: [], skippedLines: 0 };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      log.skippedLines++;
      continue;
    }
    const r = o as Record<string, unknown>;
    if (r && r['type'] === 'step' && isNum(r['epoch']) && isNum(r['step']) && isNum(r['loss'])) {
      log.steps.push({
        epoch: r['epoch'],
        step: r['step'],
        loss: r['loss'],
        ...optionalNumbers(r, ['lr', 'contrastiveAccuracy', 'entropy', 'imagesPerSecond', 'dataWaitFraction'] as const),
      });
    } else if (r && r['type'] === 'epoch' && isNum(r['epoch'])) {
      log.epochs.push({ epoch: r['epoch'], ...optionalNumbers(r, ['loss', 'knnAccuracy'] as const) });
    } else {
      log.skippedLines++;
    }
  }
  return log;
}

// The contract does not say whether `step` counts from the start of the run or of each epoch;
// if it ever fails to increase, the line order (1, 2, ...) is used as the global step instead.
export function trainingSeries(log: TrainingLog): TrainingSeries {
  const increasing = log.steps.every((s, i) => i === 0 || s.step > log.steps[i - 1]!.step);
  const steps = log.steps.map((s, i) => ({
    step: increasing ? s.step : i + 1,
    epoch: s.epoch,
    loss: s.loss,
    ...(s.lr !== undefined ? { lr: s.lr } : {}),
  }));

  // Epoch mean at the epoch's last step: the logged epoch loss when there is one, else the mean
  // of that epoch's step losses.
  const byEpoch = new Map<number, { last: number; sum: number; n: number }>();
  for (const s of steps) {
    const e = byEpoch.get(s.epoch) ?? { last: s.step, sum: 0, n: 0 };
    e.last = Math.max(e.last, s.step);
    e.sum += s.loss;
    e.n++;
    byEpoch.set(s.epoch, e);
  }
  const logged = new Map(log.epochs.filter((e) => e.loss !== undefined).map((e) => [e.epoch, e.loss!]));
  const epochMeans = [...byEpoch.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([epoch, e]) => ({ epoch, step: e.last, loss: logged.get(epoch) ?? e.sum / e.n }));

  const knn = log.epochs.filter((e) => e.knnAccuracy !== undefined).map((e) => ({ epoch: e.epoch, knnAccuracy: e.knnAccuracy! }));
  return { steps, epochMeans, knn };
}

/** Mean of a step field over the steps that logged it; undefined when none did. */
export function stepMean(log: TrainingLog, key: 'imagesPerSecond' | 'dataWaitFraction'): number | undefined {
  const xs = log.steps.map((s) => s[key]).filter(isNum);
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined;
}
