/** The `mammoclr` command line: options are parsed and validated here, then passed on as plain objects. */
import { Command } from 'commander';
import { doctor, formatDoctor } from './doctor.js';

const program = new Command();
program
  .name('mammoclr')
  .description('Contrastive learning for breast cancer detection on mammograms')
  .version('0.1.0');

program
  .command('doctor')
  .description('report the libtorch in use, its version, CPU features, CUDA and thread count')
  .option('--json', 'print the report as JSON')
  .action(async (o: { json?: boolean }) => {
    const r = await doctor();
    console.log(o.json ? JSON.stringify(r, null, 2) : formatDoctor(r));
    if (!r.ok) process.exitCode = 1;
  });

await program.parseAsync(process.argv);
