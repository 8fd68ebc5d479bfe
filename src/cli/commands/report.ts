import type { Command } from 'commander';
import { buildReport } from '../../report/report.js';

export function register(program: Command): void {
  program
    .command('report')
    .description('write <run dir>/report.html: one self-contained page with config, data, metrics, plots and Grad-CAM gallery')
    .argument('<run dir>', 'a run directory (holds config.json)')
    .option('--no-plot-files', 'do not also write each chart as SVG and PNG under <run dir>/plots')
    .action(async (runDir: string, o: { plotFiles: boolean }) => {
      const r = await buildReport(runDir, o.plotFiles ? {} : { plotsDir: false });
      // Absent parts are expected (a run still training); say so on stderr, keep stdout the path.
      if (r.missing.length) console.error(`missing: ${r.missing.map((m) => m.part).join(', ')}`);
      for (const p of r.problems) console.error(`warning: ${p}`);
      console.log(r.path);
    });
}
