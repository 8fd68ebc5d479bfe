/** Loads the libtorch addon once, with an error that says what to install when it cannot. */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Handle = object & { readonly __handle: unique symbol };
export type GeneratorHandle = object & { readonly __generator: unique symbol };

export interface NativeBuildInfo {
  headerVersion: string | null;
  libraryPath: string;
  config: string;
  parallel: string;
  cudaAvailable: boolean;
  cudaDevices: number;
  mkldnn: boolean;
}

/** The addon's functions (native/src); everything above them is TypeScript. */
export interface NativeAddon {
  fromBuffer(data: ArrayBufferView, shape: number[], scalarType: number): Handle;
  toBuffer(t: Handle): ArrayBuffer;
  meta(t: Handle): [number[], number, string, boolean, number[]];
  item(t: Handle): number | boolean;
  isContiguous(t: Handle, memoryFormat: number): boolean;
  dispose(t: Handle): void;
  isDisposed(t: Handle): boolean;
  sameTensor(a: Handle, b: Handle): boolean;
  memoryStats(): { liveTensors: number; liveBytes: number };
  resolveOp(name: string, overload: string): number;
  callOp(op: number, args: unknown[]): unknown;
  opSchema(op: number): string;
  backward(t: Handle, gradient: Handle | null, retainGraph: boolean): void;
  grad(t: Handle): Handle | null;
  setGrad(t: Handle, gradient: Handle | null): void;
  setRequiresGrad(t: Handle, requiresGrad: boolean): void;
  gradients(outputs: Handle[], inputs: Handle[], gradOutputs: Handle[] | null, retainGraph: boolean, createGraph: boolean, allowUnused: boolean): (Handle | null)[];
  setGradEnabled(enabled: boolean): boolean;
  isGradEnabled(): boolean;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  setAutocast(device: string, enabled: boolean, scalarType: number): [boolean, number];
  autocastNesting(enter: boolean): number;
  newGenerator(seed: bigint): GeneratorHandle;
  defaultGenerator(): GeneratorHandle;
  generatorSeed(g: GeneratorHandle, seed?: bigint): bigint;
  generatorGetState(g: GeneratorHandle): Handle;
  generatorSetState(g: GeneratorHandle, state: Handle): void;
  buildInfo(): NativeBuildInfo;
  // c10d (native/src/distributed.cc)
  createProcessGroup(o: NativeGroupOptions): Promise<GroupHandle>;
  destroyProcessGroup(g: GroupHandle): void;
  groupInfo(g: GroupHandle): { rank: number; worldSize: number; backend: string };
  allReduce(g: GroupHandle, t: Handle, op: 'sum' | 'product' | 'min' | 'max'): Promise<void>;
  broadcast(g: GroupHandle, t: Handle, root: number): Promise<void>;
  allGather(g: GroupHandle, t: Handle): Promise<Handle[]>;
  reduceScatter(g: GroupHandle, output: Handle, inputs: Handle[], op: 'sum' | 'product' | 'min' | 'max'): Promise<void>;
  barrier(g: GroupHandle): Promise<void>;
  allReduceSumWithGrad(g: GroupHandle, t: Handle): Handle;
  allGatherWithGrad(g: GroupHandle, t: Handle): Handle;
  syncBatchNorm(g: GroupHandle, x: Handle, weight: Handle | null, bias: Handle | null, runningMean: Handle, runningVar: Handle, momentum: number, eps: number): Handle;
  distributedInfo(): DistributedBackends;
  cpuCacheStats(): { enabled: boolean; cachedBytes: number; inUseBytes: number; peakInUseBytes: number; hits: number; misses: number };
  emptyCpuCache(): void;
  createGradientReducer(g: GroupHandle, params: Handle[], bucketBytes: number): ReducerHandle;
  finishGradientReduction(r: ReducerHandle): Promise<number>;
  gradientReducerBuckets(r: ReducerHandle): number[];
  disposeGradientReducer(r: ReducerHandle): void;
}

/**
 * The c10d backends: `gloo` and `nccl` say whether this addon build can start a group with them;
 * `libtorch` says which backends the loaded libtorch itself was built with (MPI included, which
 * mammoclr does not use), or is null where that cannot be read (outside Linux).
 */
export interface DistributedBackends {
  gloo: boolean;
  nccl: boolean;
  libtorch: { gloo: boolean; nccl: boolean; mpi: boolean } | null;
}

export type GroupHandle = object & { readonly __group: unique symbol };
export type ReducerHandle = object & { readonly __reducer: unique symbol };

export interface NativeGroupOptions {
  backend: 'gloo' | 'nccl';
  masterAddr?: string;
  masterPort?: number;
  /** A FileStore at this path instead of a TCPStore. */
  filePath?: string;
  rank: number;
  worldSize: number;
  timeoutMs?: number;
  storeTimeoutMs?: number;
  glooInterface?: string;
  glooHostname?: string;
}

const HINT =
  'Build it with `npm run build:native` (needs libtorch: `apt-get install libtorch-dev libopenblas0-pthread` ' +
  'on Debian, or LIBTORCH pointing at a libtorch folder). An addon built against one libtorch version does not ' +
  'load with another: rebuild after changing LIBTORCH or upgrading libtorch.';

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('mammoclr: cannot find the package root');
    dir = up;
  }
  return dir;
}

function load(): NativeAddon {
  const path = resolve(packageRoot(), 'build', 'Release', 'mammoclr.node');
  if (!existsSync(path)) throw new Error(`mammoclr: the native addon is not built (${path} is missing). ${HINT}`);
  try {
    return createRequire(import.meta.url)(path) as NativeAddon;
  } catch (e) {
    const reason = (e as Error).message.split('\n')[0];
    throw new Error(`mammoclr: cannot load the native addon ${path}: ${reason}. ${HINT}`);
  }
}

export const native: NativeAddon = load();

// libtorch's default here is one thread: use every core unless told otherwise.
native.setNumThreads(defaultThreadCount());

function defaultThreadCount(): number {
  const fromEnv = Number.parseInt(process.env.MAMMOCLR_NUM_THREADS ?? '', 10);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : availableParallelism();
}
