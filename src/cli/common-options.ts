/**
 * The options several commands take, each defined once: its flag, help text and default (an
 * Option to add), the schema that checks it, and the rule behind a default that depends on the
 * machine (bf16). Options whose help differs by command take that text as an argument.
 */
import { Option } from 'commander';
import { z } from 'zod';
import { int } from './options.js';
import { archSchema } from './arch.js';
import { cpuHasFastBf16, type Device } from '../tensor/index.js';

export const DEVICE_HELP = 'cpu | cuda | cuda:N (needs the addon built against a CUDA libtorch; with several processes, cuda is cuda:LOCAL_RANK and they talk over NCCL)';

export const NPROC_HELP = 'data-parallel worker processes on this machine (cores split between them); torchrun-style variables (WORLD_SIZE, RANK, MASTER_ADDR, MASTER_PORT) start one worker each instead';

export const deviceOption = (help = DEVICE_HELP): Option => new Option('--device <device>', help).default('cpu');
export const nprocOption = (): Option => new Option('--nproc <n>', NPROC_HELP).default('1');
export const bf16Option = (): Option => new Option('--bf16', 'bf16 autocast (default: on where the CPU has native bf16)');
export const noBf16Option = (): Option => new Option('--no-bf16', 'float32 throughout');
export const quietOption = (): Option => new Option('--quiet', 'no progress output');
export const seedOption = (help: string, fallback: string): Option => new Option('--seed <n>', help).default(fallback);
export const noAugmentOption = (help: string): Option => new Option('--no-augment', help);
export const foldsOption = (): Option => new Option('--folds <k>', 'patient-disjoint folds').default('5');
export const archOption = (help: string, fallback: string): Option => new Option('--arch <name>', help).default(fallback);
export const pectoralOption = (): Option =>
  new Option('--pectoral <mode>', 'keep, or suppress: remove the pectoral muscle of MLO views where a muscle-shaped edge is found (the README gives its effect on mini-MIAS; demo: with --data only)').default('keep');

/** The parsed values of the options above, keyed as commander names them. */
export const SHARED_SCHEMA = {
  device: z.string(),
  nproc: int(1, 1024),
  bf16: z.boolean().optional(),
  quiet: z.boolean().optional(),
  seed: int(0),
  augment: z.boolean(),
  folds: int(2, 100),
  arch: archSchema,
  pectoral: z.enum(['keep', 'suppress'], { error: (i) => `--pectoral must be keep or suppress, got "${String(i.input)}"` }),
};

/**
 * bf16 autocast unless --bf16/--no-bf16 says otherwise: on a GPU always, on the CPU where it has
 * native bf16 dot products (elsewhere bf16 is emulated and slower than float32).
 */
export function bf16Default(flag?: boolean, device: Device = 'cpu'): boolean {
  return flag ?? (device !== 'cpu' || cpuHasFastBf16());
}
