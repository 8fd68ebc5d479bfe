// The report's detection section, from <run>/detect/metrics.json: image-level results of every
// method, fraction and aggregation with intervals, the patch classifier's own AUC, localisation,
// AUC by kind of finding and by density, the scores within and between women, and calibration
// (Brier score and a reliability diagram) of the headline model.
import { html, fmt, fmtInterval, table, missingNote, type Html } from './html.js';

type Obj = Record<string, any>;

export function detectionSection(detect: Obj | undefined): Html {
  if (!detect) return missingNote('detect/metrics.json not found: this run has no patch detection (`mammoclr detect <run> --data <prepared>`).');
  const results = (detect['results'] ?? []) as Obj[];
  const rows = results.map((r) => [r['method'], `${(100 * r['fraction']).toFixed(0)} %`, r['aggregation'], fmtInterval(r['evaluation']?.['auc']),
    r['aucOverWomen'] ? `${fmt(r['aucOverWomen']['lo'])}–${fmt(r['aucOverWomen']['hi'])}` : '',
    fmt(r['folds']?.['auc.value']?.['mean']), fmt(r['brier']), fmtInterval(r['evaluation']?.['accuracy']), r['verdict'] ?? '']);
  const majority = results[0]?.['evaluation']?.['baseline']?.['accuracy'];
  const loc = detect['localisation'] as Obj | undefined;
  const top = loc?.['topLocation'];
  const calibration = (detect['calibration'] ?? {}) as Record<string, Obj>;
  return html`<p>${detect['task']}: windows of ${detect['view']?.['size']} px (input ${detect['view']?.['input']} px), stride ${detect['stride']}; ${detect['windows']} windows, ${detect['lesionPatches']} lesion-centred patches; ${detect['folds']} patient-disjoint folds, pooled out-of-fold. Majority class accuracy ${fmtInterval(majority)}.</p>
${table(['method', 'labels', 'image score', 'AUC (95 % CI, DeLong)', '95 % CI resampling women', 'fold mean AUC', 'Brier', 'accuracy at 0.5', 'note'], rows, 'detection')}
${table(['method', 'labels', 'patch AUC (95 % CI, bootstrap over women)', 'lesion windows', 'background windows', 'women'], ((detect['patchAuc'] ?? []) as Obj[]).map((p) => [p['method'], `${(100 * p['fraction']).toFixed(0)} %`, `${fmt(p['auc'])} (${fmt(p['lo'])}–${fmt(p['hi'])})`, p['lesionWindows'], p['backgroundWindows'], p['women'] ?? '']))}
${((detect['comparisons'] ?? []) as Obj[]).length ? table(['method', 'minus', 'labels', 'patch AUC difference (95 % CI, paired bootstrap over women)', 'image AUC differences (95 % CI, paired DeLong)'], ((detect['comparisons'] ?? []) as Obj[]).map((c) => [c['method'], c['against'], `${(100 * c['fraction']).toFixed(0)} %`, difference(c['patch']), ((c['image'] ?? []) as Obj[]).map((d) => `${d['aggregation']} ${difference(d)}`).join('; ')]), 'comparisons') : ''}
${((detect['subgroups'] ?? []) as Obj[]).length ? table(['image score', 'by', 'group', 'abnormal', 'normal', 'AUC (95 % CI)'], ((detect['subgroups'] ?? []) as Obj[]).flatMap((g) => (g['groups'] as Obj[]).map((x) => [g['aggregation'], g['by'], x['group'], x['positives'], x['negatives'], x['auc'] ? `${fmt(x['auc']['value'])} (${fmt(x['auc']['lo'])}–${fmt(x['auc']['hi'])})` : 'too few'])), 'subgroups') : ''}
${((detect['pairs'] ?? []) as Obj[]).length ? table(['image score', 'positive breast above its partner (95 % CI, Wilson; chance 0.5)', 'women with a positive image against the rest, by their highest image score: AUC (95 % CI)'], ((detect['pairs'] ?? []) as Obj[]).map((p) => [p['aggregation'], `${p['side']['k']}/${p['side']['n']} = ${fmtInterval(p['side'])}`, p['women'] ? `${fmt(p['women']['auc'])} (${fmt(p['women']['lo'])}–${fmt(p['women']['hi'])}), ${p['women']['m']} vs ${p['women']['n']} women` : 'n/a']), 'pairs') : ''}
${top ? html`<p>Top location on an annotated lesion: ${top['hits']}/${top['n']} = ${fmtInterval(top['rate'])}, chance ${fmt(top['chance'])} (${fmt(top['ratio'], 1)} times). FROC: ${((loc?.['froc'] ?? []) as Obj[]).map((f) => `sensitivity ${fmt(f['sensitivity'])} (${fmt(f['lo'])}–${fmt(f['hi'])}) at ${f['target']} false marks per image`).join('; ')}.</p>` : ''}
${Object.entries(calibration).map(([name, c]) => html`<figure class="reliability"><figcaption>Reliability of the image score "${name}": Brier ${fmt(c['brier'])}, ECE ${fmt(c['ece'])}</figcaption>${reliabilitySvg(c['bins'] ?? [])}</figure>`)}`;
}

/** A difference of AUCs with its interval, and which way the interval points. */
function difference(d: Obj): string {
  const side = d['lo'] > 0 ? 'ahead' : d['hi'] < 0 ? 'behind' : 'not distinguishable';
  return `${fmt(d['diff'])} [${fmt(d['lo'])}, ${fmt(d['hi'])}], ${side}`;
}

/** Observed positive fraction (with its Wilson interval) against the mean predicted probability per bin; the diagonal is perfect calibration. */
export function reliabilitySvg(bins: Obj[]): Html {
  const size = 220;
  const pad = 30;
  const at = (v: number): number => pad + v * (size - 2 * pad);
  const y = (v: number): number => size - at(v);
  const points = bins.filter((b) => b['count'] > 0).map((b) => {
    const o = b['observed'];
    return html`<line x1="${at(b['meanPredicted'])}" x2="${at(b['meanPredicted'])}" y1="${y(o['lo'])}" y2="${y(o['hi'])}" stroke="#4477aa"/><circle cx="${at(b['meanPredicted'])}" cy="${y(o['value'])}" r="${2 + Math.min(6, Math.sqrt(b['count']) / 2)}" fill="#4477aa"><title>${b['count']} images, predicted ${fmt(b['meanPredicted'])}, observed ${fmt(o['value'])}</title></circle>`;
  });
  return html`<svg width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" role="img" aria-label="reliability diagram"><rect x="${pad}" y="${pad}" width="${size - 2 * pad}" height="${size - 2 * pad}" fill="none" stroke="#999"/><line x1="${at(0)}" y1="${y(0)}" x2="${at(1)}" y2="${y(1)}" stroke="#bbb" stroke-dasharray="4 3"/>${points}<text x="${size / 2}" y="${size - 6}" font-size="10" text-anchor="middle">mean predicted probability</text><text x="10" y="${size / 2}" font-size="10" text-anchor="middle" transform="rotate(-90 10 ${size / 2})">observed fraction</text></svg>`;
}
