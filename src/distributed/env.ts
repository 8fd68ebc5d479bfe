/**
 * The torchrun environment: MASTER_ADDR, MASTER_PORT, WORLD_SIZE, RANK, LOCAL_RANK,
 * LOCAL_WORLD_SIZE, the variables every PyTorch launcher sets (torchrun, SLURM wrappers,
 * Kubernetes jobs, `mammoclr ... --nproc N`). Absent WORLD_SIZE means a single process.
 */
export interface DistributedEnv {
  masterAddr: string;
  masterPort: number;
  worldSize: number;
  rank: number;
  localRank: number;
  localWorldSize: number;
}

export class DistributedConfigError extends Error {}

function intVar(env: NodeJS.ProcessEnv, name: string, o: { min: number; max?: number; required: boolean; fallback?: number }): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') {
    if (o.required || o.fallback === undefined) {
      throw new DistributedConfigError(`${name} is not set: a distributed run needs MASTER_ADDR, MASTER_PORT, WORLD_SIZE and RANK (torchrun's variables)`);
    }
    return o.fallback;
  }
  const v = Number(raw.trim());
  if (!Number.isInteger(v) || v < o.min || (o.max !== undefined && v > o.max)) {
    throw new DistributedConfigError(`${name}=${raw} is invalid: expected an integer in [${o.min}, ${o.max ?? 'inf'}]`);
  }
  return v;
}

/** Reads and checks the torchrun variables; null when WORLD_SIZE is not set (a single process). */
export function readDistributedEnv(env: NodeJS.ProcessEnv = process.env): DistributedEnv | null {
  if (env.WORLD_SIZE === undefined || env.WORLD_SIZE.trim() === '') return null;
  const worldSize = intVar(env, 'WORLD_SIZE', { min: 1, max: 1 << 20, required: true });
  const rank = intVar(env, 'RANK', { min: 0, max: worldSize - 1, required: true });
  const masterAddr = (env.MASTER_ADDR ?? '').trim();
  if (worldSize > 1 && !masterAddr) throw new DistributedConfigError('MASTER_ADDR is not set: give the address of the machine running rank 0 (torchrun\'s --master_addr)');
  if (masterAddr && !/^[A-Za-z0-9.\-:_[\]]+$/.test(masterAddr)) throw new DistributedConfigError(`MASTER_ADDR=${masterAddr} is not a host name or address`);
  const masterPort = worldSize > 1 ? intVar(env, 'MASTER_PORT', { min: 1, max: 65535, required: true }) : intVar(env, 'MASTER_PORT', { min: 1, max: 65535, required: false, fallback: 29500 });
  const localWorldSize = intVar(env, 'LOCAL_WORLD_SIZE', { min: 1, max: worldSize, required: false, fallback: 1 });
  const localRank = intVar(env, 'LOCAL_RANK', { min: 0, max: Math.max(0, localWorldSize - 1), required: false, fallback: rank % localWorldSize });
  return { masterAddr: masterAddr || '127.0.0.1', masterPort, worldSize, rank, localRank, localWorldSize };
}
