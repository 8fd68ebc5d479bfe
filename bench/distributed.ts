/**
 * Data-parallel scaling on this machine, 2 processes x 1 thread against 1 process x 1 thread:
 * SimCLR steps of the paper's setting (ResNet-50, 32x32, global batch 128 = 64 images and 128
 * views per process, bf16 channels-last), and of a small ResNet-18 (width 16, fp32, batch 32
 * per process) whose short steps make communication show. Scaling efficiency = (throughput of
 * 2 processes / throughput of 1) / 2 (target >= 0.85); beside it the median time per step that
 * backward's end waited for the gradient all-reduce (overlapped with backward, Gloo on loopback).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './util.js';
import { formatRow, nodeWorkerOutput, lastJsonLine } from './util.js';
import { freePort } from '../src/distributed/launch.js';

const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'distributed-worker.js');

interface WorkerResult { worldSize: number; stepMs: number; imagesPerSecond: number; gradientAllReduceMs: number; params: number }

async function run(world: number, args: string[]): Promise<WorkerResult> {
  const port = await freePort();
  const outs = await Promise.all(Array.from({ length: world }, (_, rank) => {
    const env: NodeJS.ProcessEnv = { ...process.env, MAMMOCLR_NUM_THREADS: '1' };
    if (world > 1) Object.assign(env, { MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(port), WORLD_SIZE: String(world), RANK: String(rank), LOCAL_RANK: String(rank), LOCAL_WORLD_SIZE: String(world) });
    else for (const k of ['WORLD_SIZE', 'RANK', 'MASTER_ADDR', 'MASTER_PORT']) delete env[k];
    return nodeWorkerOutput(WORKER, args, `benchmark worker ${rank} of ${world}`, env);
  }));
  // Rank 0 alone prints the result.
  return lastJsonLine<WorkerResult>(outs[0]!);
}

// The target applies to the paper's setting. The small model is a probe of communication cost:
// its 180 ms steps hold 40 blocking SyncBatchNorm collectives of about 1-2 ms each on loopback.
const MODELS = [
  { model: 'paper', label: 'ResNet-50 b64/process bf16', batch: 64, steps: 3, warmup: 1, target: 0.85 },
  { model: 'small', label: 'ResNet-18 w16 b32/process fp32 (communication probe, no target)', batch: 32, steps: 8, warmup: 2, target: undefined },
];

export async function benchDistributed(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const m of MODELS) {
    console.log(`${m.label}:`);
    rows.push(...(await scaling([m.model, String(m.batch), String(m.steps), String(m.warmup)], m.label, m.target)));
  }
  return rows;
}

async function scaling(args: string[], model: string, target: number | undefined): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const one = await run(1, [...args, '0']);
  // The machine's own ceiling: two independent single processes at once, no communication
  // (on a shared 2-core machine other tenants' load shows here, not in the collectives).
  const solo = await Promise.all([run(1, [...args, '0']), run(1, [...args, '0'])]);
  const ceiling = solo[0]!.imagesPerSecond + solo[1]!.imagesPerSecond;
  console.log(`2 independent processes x 1 thread, no communication: ${ceiling.toFixed(1)} img/s together = ${(ceiling / one.imagesPerSecond / 2).toFixed(3)} of 2 x single (the machine's ceiling now)`);
  for (const sync of [true, false]) {
    const two = await run(2, [...args, sync ? '1' : '0']);
    const label = sync ? 'SyncBatchNorm' : 'per-rank BatchNorm';
    const scaling = two.imagesPerSecond / one.imagesPerSecond / 2;
    const r1: BenchRow = { name: `data-parallel 2x1 thread, ${model}, ${label}: img/s`, unit: 'img/s', value: two.imagesPerSecond, reference: one.imagesPerSecond * 2, target };
    const r2: BenchRow = { name: `  wait for the gradient all-reduce after backward (${(two.params * 4 / 1e6).toFixed(1)} MB)`, unit: 'ms', value: two.gradientAllReduceMs };
    console.log(`1 process x 1 thread: ${one.imagesPerSecond.toFixed(1)} img/s (${one.stepMs.toFixed(0)} ms/step); 2 processes x 1 thread, ${label}: ${two.imagesPerSecond.toFixed(1)} img/s (${two.stepMs.toFixed(0)} ms/step); scaling efficiency ${scaling.toFixed(3)}${target === undefined ? '' : ` (target ${target})`}`);
    console.log(formatRow(r1).replace('pytorch', '2 x single'));
    console.log(formatRow(r2));
    console.log(`  against the no-communication ceiling: ${(two.imagesPerSecond / ceiling).toFixed(3)}`);
    rows.push(r1, r2);
  }
  return rows;
}
