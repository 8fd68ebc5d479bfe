/**
 * A c10d process group (ProcessGroupGloo on CPU, ProcessGroupNCCL with a CUDA libtorch) over the
 * project's tensors. Collectives are asynchronous: each returns a Promise that settles when
 * c10d's Work completes (waited on a worker thread, so the event loop keeps running); a timeout
 * or a peer that died rejects it with c10d's message.
 */
import { native, type DistributedBackends, type GroupHandle } from '../tensor/native.js';
import { Tensor, noGrad, isLoopback, type Device } from './deps.js';
import { readDistributedEnv, DistributedConfigError, type DistributedEnv } from './env.js';

export type ReduceOp = 'sum' | 'average' | 'product' | 'min' | 'max';

export class DistributedError extends Error {}

export interface ProcessGroupOptions {
  backend?: 'gloo' | 'nccl';
  /** Collective timeout (c10d's process-group timeout); default MAMMOCLR_DIST_TIMEOUT seconds or 600 s. */
  timeoutMs?: number;
  /** How long to wait for the master (TCPStore) and for every rank to join; default the collective timeout. */
  storeTimeoutMs?: number;
  /** A shared file for the rendezvous instead of MASTER_ADDR:MASTER_PORT (c10d's FileStore). */
  filePath?: string;
  /** This rank's GPU with NCCL (cuda:LOCAL_RANK); CPU tensors are staged through it. */
  device?: Device;
}

export class ProcessGroup {
  readonly rank: number;
  readonly worldSize: number;
  readonly backend: string;
  /** Where collectives run: 'cpu' for Gloo, this rank's GPU for NCCL. */
  readonly device: Device;
  #handle: GroupHandle | null;

  constructor(handle: GroupHandle, device: Device = 'cpu') {
    this.#handle = handle;
    this.device = device;
    const i = native.groupInfo(handle);
    this.rank = i.rank;
    this.worldSize = i.worldSize;
    this.backend = i.backend;
  }

  get handle(): GroupHandle {
    if (!this.#handle) throw new DistributedError('the process group was destroyed');
    return this.#handle;
  }

  get isMain(): boolean {
    return this.rank === 0;
  }

  async #run<T>(what: string, p: () => Promise<T>): Promise<T> {
    try {
      return await p();
    } catch (e) {
      throw new DistributedError(`${what} failed on rank ${this.rank} of ${this.worldSize}: ${(e as Error).message}`);
    }
  }

  // NCCL moves GPU tensors only: a CPU tensor (a stop flag, a generator state) takes a round
  // trip through this rank's GPU, so callers need not care which backend runs.
  async #inPlace(t: Tensor, fn: (x: Tensor) => Promise<void>): Promise<void> {
    if (this.device === 'cpu' || t.device !== 'cpu') return fn(t);
    const staged = t.to(this.device);
    try {
      await fn(staged);
      noGrad(() => t.copy_(staged));
    } finally {
      staged.dispose();
    }
  }

  /** In place on every rank; 'average' is a sum then a division by the world size. */
  async allReduce(t: Tensor, op: ReduceOp = 'sum'): Promise<void> {
    await this.#inPlace(t, (x) => this.#run('all-reduce', () => native.allReduce(this.handle, x.handle, op === 'average' ? 'sum' : op)));
    if (op === 'average') noGrad(() => t.div_(this.worldSize));
  }

  /** In place: every rank ends with root's values. */
  broadcast(t: Tensor, root = 0): Promise<void> {
    return this.#inPlace(t, (x) => this.#run('broadcast', () => native.broadcast(this.handle, x.handle, root)));
  }

  /** Every rank's tensor, in rank order (the shapes must agree), on the input's device. The caller disposes them. */
  async allGather(t: Tensor): Promise<Tensor[]> {
    const staged = this.device !== 'cpu' && t.device === 'cpu' ? t.to(this.device) : t;
    try {
      const hs = await this.#run('all-gather', () => native.allGather(this.handle, staged.handle));
      const out = hs.map((h) => new Tensor(h));
      if (staged === t) return out;
      return out.map((x) => {
        const c = x.to('cpu');
        x.dispose();
        return c;
      });
    } finally {
      if (staged !== t) staged.dispose();
    }
  }

  /**
   * output = reduction over ranks of inputs[rank]. Gloo in libtorch 1.13 has no reduce-scatter:
   * there it runs as an all-reduce of the stacked inputs and keeps this rank's slice (same
   * result, worldSize times the traffic).
   */
  async reduceScatter(output: Tensor, inputs: Tensor[], op: ReduceOp = 'sum'): Promise<void> {
    await this.#run('reduce-scatter', () => native.reduceScatter(this.handle, output.handle, inputs.map((x) => x.handle), op === 'average' ? 'sum' : op));
    if (op === 'average') noGrad(() => output.div_(this.worldSize));
  }

  barrier(): Promise<void> {
    return this.#run('barrier', () => native.barrier(this.handle));
  }

  /** Releases the backend (its sockets and threads). */
  destroy(): void {
    if (this.#handle) native.destroyProcessGroup(this.#handle);
    this.#handle = null;
  }
}

export type { DistributedBackends };

export function distributedBackends(): DistributedBackends {
  return native.distributedInfo();
}

export function defaultTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const s = Number(env.MAMMOCLR_DIST_TIMEOUT ?? '');
  return Number.isFinite(s) && s > 0 ? Math.round(s * 1000) : 600_000;
}

/**
 * Joins the process group described by the torchrun variables (or by `env`). Rank 0 serves the
 * TCPStore at MASTER_ADDR:MASTER_PORT; the others connect to it. Errors say which variable is
 * wrong, or that the master could not be reached within the timeout.
 */
export async function initProcessGroup(o: ProcessGroupOptions & { env?: DistributedEnv } = {}): Promise<ProcessGroup> {
  const env = o.env ?? readDistributedEnv();
  if (!env) throw new DistributedConfigError('initProcessGroup: WORLD_SIZE is not set (start the workers with torchrun-style variables, or use --nproc)');
  const info = distributedBackends();
  const backend = o.backend ?? 'gloo';
  if (backend === 'gloo' && !info.gloo) throw new DistributedError('this build of the addon has no Gloo backend: install libgloo-dev and rebuild (`npm run build:native`)');
  if (backend === 'nccl' && !info.nccl) throw new DistributedError('the nccl backend needs the addon built against a CUDA libtorch (LIBTORCH=...; `npm run build:native`)');
  const timeoutMs = o.timeoutMs ?? defaultTimeoutMs();
  const storeTimeoutMs = o.storeTimeoutMs ?? timeoutMs;
  const glooInterface = process.env.GLOO_SOCKET_IFNAME?.split(',')[0]?.trim() || undefined;
  try {
    const h = await native.createProcessGroup({
      backend, rank: env.rank, worldSize: env.worldSize, masterAddr: env.masterAddr, masterPort: env.masterPort, filePath: o.filePath,
      timeoutMs, storeTimeoutMs, glooInterface, glooHostname: isLoopback(env.masterAddr) ? '127.0.0.1' : undefined,
    });
    return new ProcessGroup(h, backend === 'nccl' ? (o.device ?? `cuda:${env.localRank}` as Device) : 'cpu');
  } catch (e) {
    const where = o.filePath ? `the rendezvous file ${o.filePath}` : `the master at ${env.masterAddr}:${env.masterPort} (MASTER_ADDR, MASTER_PORT)`;
    throw new DistributedError(`rank ${env.rank} of ${env.worldSize} could not join the process group through ${where} within ${(storeTimeoutMs / 1000).toFixed(0)} s: ${(e as Error).message}`);
  }
}
