// `buildReport(runDir)`: one self-contained HTML page per run, written to <run>/report.html,
// with each chart also written as SVG and PNG under <run>/plots/ for papers and slides.
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { html, page } from './html.js';
import { loadRun, type MissingPart } from './run.js';
import { runPlots } from './run-plots.js';
import { SECTIONS, sectionBodies } from './sections.js';
import { writePlot } from './plots/render.js';

export interface ReportOptions {
  /** Where the charts' SVG and PNG files go; <run>/plots by default, false for none. */
  plotsDir?: string | false;
}

export interface ReportResult {
  /** The written report.html. */
  path: string;
  /** Names of the charts in the report. */
  plots: string[];
  missing: MissingPart[];
  problems: string[];
}

export async function buildReport(runDir: string, options: ReportOptions = {}): Promise<ReportResult> {
  const run = await loadRun(runDir);
  const { plots, notes } = await runPlots(run);
  const bodies = sectionBodies(run, plots, notes);
  const title = `mammoclr report: ${basename(run.dir)}`;
  const body = html`<header><h1>${title}</h1><p class="subtitle">${run.dir}</p>
<nav>${SECTIONS.map((s) => html`<a href="#${s.id}">${s.title}</a>`)}</nav></header>
${SECTIONS.map((s) => html`<section id="${s.id}"><h2>${s.title}</h2>${bodies[s.id]}</section>`)}`;

  const path = join(run.dir, 'report.html');
  await writeFileAtomic(path, page(title, body));
  const plotsDir = options.plotsDir === undefined ? join(run.dir, 'plots') : options.plotsDir;
  if (plotsDir !== false) for (const p of plots) await writePlot(plotsDir, p.name, p.plot);
  return { path, plots: plots.map((p) => p.name), missing: run.missing, problems: [...run.problems, ...notes] };
}
