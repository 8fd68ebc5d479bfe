// The report's sections, each from the parts of the run it needs; a section whose parts are
// absent still appears, with a note saying what is missing.
import { basename } from 'node:path';
import { aggregateFolds, type FoldStats } from '../eval/summary.js';
import { html, fmt, fmtInterval, table, missingNote, inlineSvg, type Html, type IntervalLike } from './html.js';
import { MAX_GALLERY_PER_KIND, type RunData, type GradcamKind } from './run.js';
import type { NamedPlot, PlotSection } from './run-plots.js';
import { stepMean } from './training-log.js';
import { detectionSection } from './detection-section.js';

/** Section ids and headings, in page order. */
export const SECTIONS = [
  { id: 'summary', title: 'Run summary' },
  { id: 'config', title: 'Configuration' },
  { id: 'data', title: 'Data' },
  { id: 'metrics', title: 'Metrics' },
  { id: 'folds', title: 'Cross-validation' },
  { id: 'training', title: 'Training curves' },
  { id: 'evaluation', title: 'ROC curve and confusion matrix' },
  { id: 'tsne', title: 'Latent space (t-SNE)' },
  { id: 'fractions', title: 'Labeled fraction' },
  { id: 'detection', title: 'Detection from patches' },
  { id: 'gradcam', title: 'Grad-CAM' },
  { id: 'missing', title: 'Missing parts' },
] as const;

export type SectionId = (typeof SECTIONS)[number]['id'];

/** Metrics of the table, in order: [key in evaluateBinary's result, label]. */
export const METRIC_ROWS = [
  ['accuracy', 'Accuracy'],
  ['sensitivity', 'Sensitivity (recall)'],
  ['specificity', 'Specificity'],
  ['precision', 'Precision (PPV)'],
  ['f1', 'F1'],
  ['auc', 'AUC'],
  ['npv', 'NPV'],
  ['balancedAccuracy', 'Balanced accuracy'],
] as const;

const METHOD_NAMES: Record<string, string> = { wilson: 'Wilson', delong: 'DeLong', bootstrap: 'stratified bootstrap', none: '—' };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

// An interval-shaped value ({value, lo, hi}) or a bare number, else undefined.
function intervalOf(v: unknown): IntervalLike | undefined {
  if (typeof v === 'number') return { value: v };
  if (isObj(v) && typeof v['value'] === 'number') {
    return { value: v['value'], ...(typeof v['lo'] === 'number' ? { lo: v['lo'] } : {}), ...(typeof v['hi'] === 'number' ? { hi: v['hi'] } : {}) };
  }
  return undefined;
}

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

function className(run: RunData, label: unknown): string {
  const names = run.metrics?.classes;
  return typeof label === 'number' && names && names[label] !== undefined ? `${names[label]} (${label})` : String(label);
}

function summarySection(run: RunData): Html {
  const rows: [string, Html | string][] = [['Run directory', run.dir]];
  const m = run.metrics;
  if (m?.task) rows.push(['Task', m.task]);
  if (m?.method) rows.push(['Evaluated model', m.method]);
  if (m?.fraction !== undefined) rows.push(['Labeled fraction', pct(m.fraction)]);
  if (m?.classes) rows.push(['Classes', m.classes.join(', ')]);
  if (run.data?.dataset) rows.push(['Dataset', `${run.data.dataset}${run.data.size !== undefined ? ` (size ${run.data.size})` : ''}`]);
  if (run.log) {
    const epochs = new Set([...run.log.steps.map((s) => s.epoch), ...run.log.epochs.map((e) => e.epoch)]).size;
    rows.push(['Training', `${epochs} epoch(s), ${run.log.steps.length} logged step(s)`]);
    const lastEpoch = run.log.epochs.at(-1);
    if (lastEpoch?.loss !== undefined) rows.push(['Final epoch loss', fmt(lastEpoch.loss, 4)]);
    const knn = run.log.epochs.filter((e) => e.knnAccuracy !== undefined).at(-1);
    if (knn) rows.push(['Last kNN accuracy', `${fmt(knn.knnAccuracy)} (epoch ${knn.epoch})`]);
    const ips = stepMean(run.log, 'imagesPerSecond');
    if (ips !== undefined) rows.push(['Throughput', `${ips.toFixed(1)} images/s (mean over steps)`]);
    const wait = stepMean(run.log, 'dataWaitFraction');
    if (wait !== undefined) rows.push(['Waiting for data', `${pct(wait)} of step time (mean)`]);
  }
  const ev = m?.evaluation;
  if (ev && ev['positives'] !== undefined) {
    rows.push(['Test set', `${ev['n']} images (${ev['positives']} positive, ${ev['negatives']} negative)`]);
    rows.push(['AUC (95 % CI)', fmtInterval(intervalOf(ev['auc']))]);
  } else if (ev) {
    rows.push(['Test set', `${ev['n']} images`]);
    rows.push(['Accuracy', fmt(ev['accuracy'])]);
  }
  return html`<dl class="summary">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

function configSection(run: RunData): Html {
  return html`<details><summary>Resolved configuration (config.json)</summary><pre>${JSON.stringify(run.config, null, 2)}</pre></details>`;
}

// Cap on listed skipped files; the count is always complete.
const MAX_SKIPPED_LISTED = 200;

function dataSection(run: RunData): Html {
  const d = run.data;
  if (!d) return missingNote('data.json not found: no counts by class and split, no list of skipped files.');
  const splits = Object.keys(d.counts);
  const classes = [...new Set(splits.flatMap((s) => Object.keys(d.counts[s]!)))];
  const count = (s: string, c: string) => d.counts[s]![c] ?? 0;
  const rows: unknown[][] = classes.map((c) => [c, ...splits.map((s) => count(s, c)), splits.reduce((t, s) => t + count(s, c), 0)]);
  rows.push([
    html`<strong>total</strong>`,
    ...splits.map((s) => classes.reduce((t, c) => t + count(s, c), 0)),
    classes.reduce((t, c) => t + splits.reduce((u, s) => u + count(s, c), 0), 0),
  ]);
  const counts = splits.length ? table(['class', ...splits, 'all splits'], rows, 'numbers') : missingNote('data.json has no counts.');
  const listed = d.skipped.slice(0, MAX_SKIPPED_LISTED);
  const skipped = d.skipped.length
    ? html`<h3>Skipped files (${d.skipped.length})</h3><ul class="skipped">${listed.map(
        (s) => html`<li><code>${s.source}</code>: ${s.reason}</li>`,
      )}</ul>${d.skipped.length > listed.length ? html`<p class="note">First ${listed.length} of ${d.skipped.length} listed.</p>` : ''}`
    : html`<p class="note">No files were skipped.</p>`;
  return html`<h3>Images by class and split</h3>${counts}${skipped}`;
}

function evaluationOf(v: Obj | undefined): Obj | undefined {
  // `supervised` may be an evaluateBinary result or a metrics-like object holding one under `evaluation`.
  if (!v) return undefined;
  return isObj(v['evaluation']) ? v['evaluation'] : v;
}

// Multi-class evaluations carry accuracy, macro F1 and one-vs-rest AUC per class, without intervals.
function multiClassMetrics(run: RunData, ev: Obj, supervised: Obj | undefined): Html {
  const classes = run.metrics?.classes ?? [];
  const rows: [string, (e: Obj) => unknown][] = [
    ['Accuracy', (e) => e['accuracy']],
    ['Macro F1', (e) => e['macroF1']],
    ...classes.map((c, i): [string, (e: Obj) => unknown] => [`AUC, ${c} vs rest`, (e) => (Array.isArray(e['aucPerClass']) ? e['aucPerClass'][i] : undefined)]),
  ];
  const head = ['Metric', 'Model', ...(supervised ? ['Supervised baseline'] : [])];
  return html`${table(head, rows.map(([label, get]) => [label, fmt(get(ev)), ...(supervised ? [fmt(get(supervised))] : [])]), 'numbers metrics')}
<p class="note">n = ${ev['n']}; multi-class metrics are reported without intervals.</p>`;
}

function metricsSection(run: RunData): Html {
  const m = run.metrics;
  const ev = m?.evaluation;
  if (!m || !ev) return missingNote('eval/metrics.json not found (or it has no evaluation): no metrics table.');
  if (ev['counts'] === undefined && ev['confusion'] !== undefined) return multiClassMetrics(run, ev, evaluationOf(m.supervised));
  const supervised = evaluationOf(m.supervised);
  const evBaseline = isObj(ev['baseline']) ? ev['baseline'] : undefined;
  const baseline: Obj = m.baseline ?? evBaseline ?? {};
  const baselineCell = (key: string) => {
    const iv = intervalOf(baseline[key]) ?? (key === 'accuracy' ? intervalOf(evBaseline?.['accuracy']) : undefined);
    return iv ? fmtInterval(iv) : html`<span class="na">—</span>`;
  };
  const head = ['Metric', 'Model (95 % CI)', 'Majority-class baseline', ...(supervised ? ['Supervised baseline (95 % CI)'] : []), 'Interval'];
  const rows = METRIC_ROWS.map(([key, label]) => {
    const cell = ev[key];
    return [
      label,
      fmtInterval(intervalOf(cell)),
      baselineCell(key),
      ...(supervised ? [fmtInterval(intervalOf(supervised[key]))] : []),
      isObj(cell) ? (METHOD_NAMES[String(cell['method'])] ?? String(cell['method'] ?? '')) : '',
    ];
  });
  const majority = baseline['majorityClass'] ?? evBaseline?.['majorityClass'];
  const source = baseline['source'] ?? evBaseline?.['source'];
  const youden = isObj(ev['youden']) ? ev['youden'] : undefined;
  const notes = Array.isArray(ev['notes']) ? ev['notes'].map(String) : [];
  return html`${table(head, rows, 'numbers metrics')}
<p class="note">n = ${ev['n']} (${ev['positives']} positive, ${ev['negatives']} negative); predicted positive when score ≥ ${ev['threshold']}.
${majority !== undefined ? html` The majority-class baseline always predicts ${className(run, majority)}${source ? html`, the majority of the ${source} labels` : ''}.` : ''}
${youden ? html` Youden-optimal threshold on this same data: ${fmt(youden['threshold'])} (sensitivity ${fmt(youden['sensitivity'])}, specificity ${fmt(youden['specificity'])}; optimistic).` : ''}</p>
${notes.length ? html`<ul class="note">${notes.map((n) => html`<li>${n}</li>`)}</ul>` : ''}`;
}

// Across-fold statistics: as written, or computed from the per-fold results (which may wrap
// each evaluation as { fold, ..., evaluation }).
function foldStats(v: Obj | undefined): Record<string, FoldStats> | undefined {
  if (!v) return undefined;
  if (isObj(v['aggregate'])) return v['aggregate'] as Record<string, FoldStats>;
  const folds = Array.isArray(v['folds']) ? v['folds'].filter(isObj) : [];
  return folds.length ? aggregateFolds(folds.map((f) => (isObj(f['evaluation']) ? f['evaluation'] : f))) : undefined;
}

function statsCells(s: unknown): unknown[] {
  if (!isObj(s)) return ['—', '—', '—'];
  return [html`${fmt(s['mean'])} ± ${fmt(s['std'])}`, html`${fmt(s['min'])}–${fmt(s['max'])}`, `${s['n']} of ${s['k']}`];
}

function foldsSection(run: RunData): Html {
  const m = run.metrics;
  const agg = foldStats(m as Obj | undefined);
  const sup = foldStats(m?.supervised);
  // A single split is a valid run, not a gap: a plain note, not a missing-part warning.
  if (!agg) return html`<p class="note">No k-fold results in eval/metrics.json (a single split was evaluated, or the metrics are missing).</p>`;
  const keys: (readonly [string, string])[] = [...METRIC_ROWS, ['macroF1', 'Macro F1']];
  const pick = (a: Record<string, FoldStats> | undefined, key: string) => a?.[`${key}.value`] ?? a?.[key];
  const rows = keys.flatMap(([key, label]) =>
    isObj(pick(agg, key)) ? [[label, ...statsCells(pick(agg, key)), ...(sup ? statsCells(pick(sup, key)) : [])]] : [],
  );
  const head = ['Metric', 'mean ± sd', 'min–max', 'folds with a value', ...(sup ? ['supervised: mean ± sd', 'min–max', 'folds'] : [])];
  return html`${table(head, rows, 'numbers')}
<p class="note">Sample standard deviation across folds; a fold where a metric is undefined is left out of its mean.</p>`;
}

function plotFigures(plots: NamedPlot[], section: PlotSection): Html {
  return html`<div class="plots">${plots
    .filter((p) => p.section === section)
    .map((p) => html`<figure id="plot-${p.name}">${inlineSvg(p.plot.svg, p.name)}</figure>`)}</div>`;
}

function plotSection(run: RunData, plots: NamedPlot[], section: PlotSection): Html {
  const has = plots.some((p) => p.section === section);
  const why: Record<PlotSection, string> = {
    training: run.log ? 'log.jsonl has no step or epoch records to plot.' : 'log.jsonl not found: no loss, kNN-accuracy or learning-rate curves.',
    evaluation: `${run.predictions ? '' : 'eval/predictions.csv not found: no ROC curve. '}${run.metrics?.evaluation ? '' : 'eval/metrics.json not found: no confusion matrix.'}`,
    tsne: 'No tsne/*.json embeddings: no t-SNE plots.',
    fractions: 'eval/fractions.json not found: no labeled-fraction plot.',
  };
  const gaps = section === 'evaluation' && has && why.evaluation ? missingNote(why.evaluation.trim()) : '';
  return has ? html`${plotFigures(plots, section)}${gaps}` : missingNote(why[section].trim());
}

const KIND_TITLES: Record<GradcamKind, string> = { tp: 'True positives', fp: 'False positives', fn: 'False negatives' };

function gradcamSection(run: RunData): Html {
  const total = run.gradcamTotal.tp + run.gradcamTotal.fp + run.gradcamTotal.fn;
  if (total === 0) return missingNote('No Grad-CAM images (gradcam/tp, gradcam/fp, gradcam/fn).');
  return html`${(['tp', 'fp', 'fn'] as const).map((kind) => {
    const items = run.gradcam.filter((g) => g.kind === kind);
    const n = run.gradcamTotal[kind];
    const body = items.length
      ? html`<div class="gallery">${items.map((g) => {
          const caption = [g.id ?? basename(g.file), g.label !== undefined ? `label ${className(run, g.label)}` : '', g.score !== undefined ? `score ${fmt(g.score)}` : '']
            .filter(Boolean)
            .join(' · ');
          return html`<figure><img src="${g.dataUri}" alt="${`Grad-CAM ${KIND_TITLES[kind]}: ${g.id ?? g.file}`}"><figcaption>${caption}</figcaption></figure>`;
        })}</div>`
      : html`<p class="note">None.</p>`;
    const more = n > items.length && n > MAX_GALLERY_PER_KIND ? html`<p class="note">Showing ${items.length} of ${n}.</p>` : '';
    return html`<h3>${KIND_TITLES[kind]} (${n})</h3>${body}${more}`;
  })}`;
}

function missingSection(run: RunData, plotNotes: string[]): Html {
  const problems = [...run.problems, ...plotNotes];
  return html`${run.missing.length
    ? html`<ul>${run.missing.map((m) => html`<li class="missing-item"><code>${m.part}</code> not found: ${m.effect}.</li>`)}</ul>`
    : html`<p class="note">Every part of the run directory is present.</p>`}
${problems.length ? html`<h3>Could not be used</h3><ul>${problems.map((p) => html`<li>${p}</li>`)}</ul>` : ''}`;
}

/** Every section's body, by id. */
export function sectionBodies(run: RunData, plots: NamedPlot[], plotNotes: string[]): Record<SectionId, Html> {
  return {
    summary: summarySection(run),
    config: configSection(run),
    data: dataSection(run),
    metrics: metricsSection(run),
    folds: foldsSection(run),
    training: plotSection(run, plots, 'training'),
    evaluation: plotSection(run, plots, 'evaluation'),
    tsne: plotSection(run, plots, 'tsne'),
    fractions: plotSection(run, plots, 'fractions'),
    detection: detectionSection(run.detection),
    gradcam: gradcamSection(run),
    missing: missingSection(run, plotNotes),
  };
}

