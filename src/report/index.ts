/** The run report: charts (./plots) and the self-contained HTML page. */
export { buildReport, type ReportOptions, type ReportResult } from './report.js';
export { loadRun, type RunData, type MissingPart } from './run.js';
export { SECTIONS, METRIC_ROWS } from './sections.js';
export { escapeHtml } from './html.js';
export * from './plots/index.js';
