import type { Command } from 'commander';
import { doctor, formatDoctor } from '../doctor.js';

export function register(program: Command): void {
  program
    .command('doctor')
    .description('report the libtorch in use, its version, CPU features, CUDA and thread count')
    .option('--json', 'print the report as JSON')
    .action(async (o: { json?: boolean }) => {
      const r = await doctor();
      console.log(o.json ? JSON.stringify(r, null, 2) : formatDoctor(r));
      if (!r.ok) process.exitCode = 1;
    });
}
