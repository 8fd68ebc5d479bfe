/** `--nproc N` and the torchrun variables, shared by the commands that train data-parallel. */
import { readDistributedEnv, initProcessGroup, launchLocalWorkers, withoutNproc, type ProcessGroup } from '../distributed/index.js';
import { resolveDevice } from '../train/device.js';
import type { Device } from '../tensor/index.js';

/**
 * Runs `body` as this process's part of the command: with --nproc N > 1 outside a launcher, this
 * process only starts the N workers (the same command, without --nproc) and takes their exit
 * code; under torchrun's variables it joins the group and hands it to `body` (undefined alone),
 * with the checked --device (Gloo between CPU processes, NCCL between GPUs).
 */
export async function runWithProcessGroup(nproc: number, body: (group: ProcessGroup | undefined, device: Device) => Promise<void>, o: { device?: string } = {}): Promise<void> {
  const denv = readDistributedEnv();
  if (nproc > 1 && !denv) {
    process.exitCode = await launchLocalWorkers({ nproc, argv: [process.argv[1]!, ...withoutNproc(process.argv.slice(2))] });
    return;
  }
  const device = resolveDevice(o.device ?? 'cpu', denv?.localRank ?? 0);
  const group = denv && denv.worldSize > 1 ? await initProcessGroup(device === 'cpu' ? {} : { backend: 'nccl', device }) : undefined;
  try {
    await body(group, device);
  } finally {
    group?.destroy();
  }
}
