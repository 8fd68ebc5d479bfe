/** Every command, one module each; a module exports register(program). */
import type { Command } from 'commander';
import { register as doctor } from './doctor.js';

export const COMMANDS: ((program: Command) => void)[] = [doctor];
