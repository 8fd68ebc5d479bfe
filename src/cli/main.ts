/** The `mammoclr` command line: options are parsed and validated here, then passed on as plain objects. */
import { Command } from 'commander';
import { COMMANDS } from './commands/index.js';

const program = new Command();
program
  .name('mammoclr')
  .description('Contrastive learning for breast cancer detection on mammograms')
  .version('0.1.0')
  .showHelpAfterError();

for (const register of COMMANDS) register(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  // Errors users can act on (bad files, bad options) print as one line, without a stack.
  console.error(`mammoclr: ${(e as Error).message}`);
  process.exitCode = 1;
}
