import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { cpuHasFastBf16 } from '../../src/tensor/index.js';
import { parseOptions } from '../../src/cli/options.js';
import { SHARED_SCHEMA, bf16Default, bf16Option, deviceOption, noAugmentOption, noBf16Option, nprocOption, quietOption, seedOption } from '../../src/cli/common-options.js';
import { parseArch } from '../../src/cli/arch.js';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { z } from 'zod';

test('bf16: the flag wins; else on a GPU, and on a CPU with native bf16', () => {
  assert.equal(bf16Default(true, 'cpu'), true);
  assert.equal(bf16Default(false, 'cuda:0'), false);
  assert.equal(bf16Default(undefined, 'cuda:0'), true);
  assert.equal(bf16Default(undefined, 'cpu'), cpuHasFastBf16());
  assert.equal(bf16Default(), cpuHasFastBf16());
});

test('parseArch: depth from the name, one channel, the paper\'s stem unless told', () => {
  assert.deepEqual(parseArch('resnet50', { width: 64 }), { depth: 50, stem: 'cifar', width: 64, inChannels: 1 });
  assert.deepEqual(parseArch('resnet18', { width: 8, stem: 'imagenet' }), { depth: 18, stem: 'imagenet', width: 8, inChannels: 1 });
});

test('the shared options parse to the values and defaults the commands had', () => {
  const schema = z.object({ bf16: SHARED_SCHEMA.bf16, device: SHARED_SCHEMA.device, nproc: SHARED_SCHEMA.nproc, quiet: SHARED_SCHEMA.quiet, seed: SHARED_SCHEMA.seed, augment: SHARED_SCHEMA.augment });
  const parse = (argv: string[]) => parseOptions(schema, new Command().exitOverride().addOption(bf16Option()).addOption(noBf16Option()).addOption(deviceOption()).addOption(nprocOption())
    .addOption(quietOption()).addOption(seedOption('seed', '3')).addOption(noAugmentOption('as they are')).parse(argv, { from: 'user' }).opts());
  assert.deepEqual(parse([]), { device: 'cpu', nproc: 1, seed: 3, augment: true });
  assert.deepEqual(parse(['--no-bf16', '--device', 'cuda', '--nproc', '2', '--quiet', '--seed', '7', '--no-augment']), { bf16: false, device: 'cuda', nproc: 2, quiet: true, seed: 7, augment: false });
  assert.equal(parse(['--bf16']).bf16, true);
  assert.throws(() => parse(['--nproc', '0']), /--nproc/);
});

test('every command that takes --bf16 says the same of it', () => {
  const program = new Command();
  for (const register of COMMANDS) register(program);
  const bf16 = program.commands.flatMap((c) => c.options.filter((o) => o.long === '--bf16').map((o) => `${c.name()}: ${o.description}`));
  assert.deepEqual(bf16.map((x) => x.split(': ')[0]).sort(), ['detect', 'finetune', 'predict', 'pretrain', 'train-supervised']);
  assert.equal(new Set(bf16.map((x) => x.split(': ')[1])).size, 1);
});
