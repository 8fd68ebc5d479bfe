export { readDistributedEnv, DistributedConfigError, type DistributedEnv } from './env.js';
export { ProcessGroup, initProcessGroup, DistributedError, defaultTimeoutMs, distributedBackends, type DistributedBackends, type ReduceOp, type ProcessGroupOptions } from './process-group.js';
export { allGatherWithGrad, allReduceSumWithGrad, ntXentGlobal } from './autograd-ops.js';
export { DistributedSampler, type DistributedSamplerOptions } from './sampler.js';
export { GradientReducer, broadcastState, type GradientReducerOptions } from './data-parallel.js';
export { convertSyncBatchNorm, revertSyncBatchNorm } from './sync-batchnorm.js';
export { launchLocalWorkers, withoutNproc, type LaunchOptions } from './launch.js';
