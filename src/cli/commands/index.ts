/** Every command, one module each; a module exports register(program). */
import type { Command } from 'commander';
import { register as doctor } from './doctor.js';
import { register as prepare } from './prepare.js';
import { register as report } from './report.js';
import { register as pretrain } from './pretrain.js';
import { register as finetune } from './finetune.js';
import { register as trainSupervised } from './train-supervised.js';
import { register as evaluate } from './evaluate.js';
import { register as experiment } from './experiment.js';
import { register as demo } from './demo.js';
import { register as predict } from './predict.js';
import { register as gradcam } from './gradcam.js';
import { register as tsne } from './tsne.js';
import { register as detect } from './detect.js';
import { register as exportModel } from './export.js';
import { register as viewer } from './viewer.js';
import { register as serve } from './serve.js';

export const COMMANDS: ((program: Command) => void)[] = [demo, doctor, prepare, pretrain, finetune, detect, trainSupervised, evaluate, experiment, gradcam, tsne, predict, exportModel, viewer, serve, report];
