import type { Command } from 'commander';
import { z } from 'zod';
import { parseOptions } from '../options.js';
import { buildViewer } from '../viewer/build.js';

const schema = z.object({ out: z.string().min(1), eval: z.string().optional() });

export function register(program: Command): void {
  program
    .command('viewer <run>')
    .description('write a static web page that scores mammograms in the browser with the run\'s model (offline; no image leaves the machine): open <dir>/index.html, or `mammoclr serve`')
    .requiredOption('--out <dir>', 'the folder to write')
    .option('--eval <dir>', 'the folder with classifier.safetensors (default <run>/eval)')
    .action(async (run: string, raw: Record<string, unknown>) => {
      const o = parseOptions(schema, raw);
      const b = await buildViewer(run, o.out, { eval: o.eval });
      for (const f of b.files) console.log(`${f.name.padEnd(16)} ${(f.bytes / 1e6).toFixed(2).padStart(7)} MB`);
      console.log(`${o.out}: ${(b.totalBytes / 1e6).toFixed(1)} MB; open ${o.out}/index.html, or serve it with: mammoclr serve ${o.out}`);
    });
}
